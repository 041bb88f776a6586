/**
 * How a request ended, as the conventions record it: `error.type` is the JSON-RPC error code
 * the client gets (also `rpc.response.status_code`), or `tool_error` for an `isError` result.
 */
import { type Context, ErrorCodes, isMcpForgeError } from "@mcpforge/core";
import { becomesToolError, kindOfCode } from "@mcpforge/core/authoring";

/** A failed request: what `error.type`, `rpc.response.status_code` and the span status say. */
export interface Failure {
  /** `error.type`: the JSON-RPC error code as a string, or `tool_error`. */
  readonly errorType: string;
  /** `rpc.response.status_code`: the JSON-RPC error code, when the answer is an error. */
  readonly statusCode: string | undefined;
  /** The JSON-RPC error message the client gets (the span status description). */
  readonly message: string | undefined;
}

const TOOL_ERROR: Failure = { errorType: "tool_error", statusCode: undefined, message: undefined };

function jsonRpcFailure(code: number, message: string): Failure {
  const text = String(code);
  return { errorType: text, statusCode: text, message };
}

/**
 * What a thrown value becomes for the client: an `isError` result when the tool's handler had
 * started (core turns it into one further out), else a JSON-RPC error — unexpected errors
 * are masked as -32603 (their message stays out of the span status; the exception event
 * records them).
 *
 * @example
 * try {
 *   await next();
 * } catch (err) {
 *   logger.warn(`failed: ${thrownFailure(ctx, err).errorType}`);
 *   throw err;
 * }
 */
export function thrownFailure(ctx: Context, err: unknown): Failure {
  if (becomesToolError(ctx, err)) return TOOL_ERROR;
  if (isMcpForgeError(err)) return jsonRpcFailure(err.code, err.message);
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && kindOfCode(code) !== undefined) {
    return jsonRpcFailure(code as number, err.message);
  }
  return jsonRpcFailure(ErrorCodes.internal, "Internal error");
}

/**
 * The failure a returned value stands for: `tool_error` for a `CallToolResult` with
 * `isError: true`, none otherwise.
 *
 * @example
 * const failure = resultFailure(await next()); // tool_error for an isError result
 */
export function resultFailure(result: unknown): Failure | undefined {
  return typeof result === "object" &&
    result !== null &&
    (result as { isError?: unknown }).isError === true
    ? TOOL_ERROR
    : undefined;
}

/**
 * A failed request whose signal was aborted by the client's cancellation (or the end of its
 * session) is recorded as cancelled (-32800): the client gets no answer at all. An abort whose
 * reason is a core error (a timeout) already shaped the answer, so it stays as it was.
 *
 * @example
 * const failure = unlessCancelled(ctx, { errorType: "tool_error", statusCode: undefined, message: undefined });
 */
export function unlessCancelled(ctx: Context, failure: Failure): Failure {
  const signal = ctx.signal;
  if (!signal.aborted || isMcpForgeError(signal.reason)) return failure;
  return jsonRpcFailure(ErrorCodes.cancelled, "Request was cancelled");
}
