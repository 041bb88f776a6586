import { type Context, ErrorCodes, isMcpForgeError } from "@mcpforge/core";
import { becomesToolError, kindOfCode } from "@mcpforge/core/authoring";

/**
 * The `error.type` of a thrown value as the conventions record it: `tool_error` when it
 * becomes an `isError` result, else the JSON-RPC error code the client gets (unexpected
 * errors are masked as -32603).
 *
 * @example
 * try { await next(); } catch (err) { console.error(errorTypeOf(ctx, err)); throw err; }
 */
export function errorTypeOf(ctx: Context, err: unknown): string {
  if (ctx.signal.aborted && !isMcpForgeError(ctx.signal.reason))
    return String(ErrorCodes.cancelled);
  if (becomesToolError(ctx, err)) return "tool_error";
  if (isMcpForgeError(err)) return String(err.code);
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && kindOfCode(code) !== undefined) return String(code);
  return String(ErrorCodes.internal);
}

const REJECTED = new Set([String(ErrorCodes.rate_limited), String(ErrorCodes.unavailable)]);

/**
 * Whether an `error.type` is a rejection (rate limited, or unavailable) for the readiness rule.
 *
 * @example
 * isRejection("-32029"); // true
 */
export function isRejection(errorType: string): boolean {
  return REJECTED.has(errorType);
}

/**
 * True for a `CallToolResult` with `isError: true`.
 *
 * @example
 * isErrorResult({ content: [], isError: true }); // true
 */
export function isErrorResult(result: unknown): boolean {
  return (
    typeof result === "object" &&
    result !== null &&
    (result as { isError?: unknown }).isError === true
  );
}
