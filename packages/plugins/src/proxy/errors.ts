import { McpForgeError } from "@mcpforge/core";
import { fromJsonRpcError } from "@mcpforge/core/authoring";
import { ErrorCode, McpError } from "@mcpforge/core/client";

/** What a failed backend request means for the connection. */
export interface BackendFailure {
  /** The error for the calling client. */
  readonly error: McpForgeError;
  /** True when the connection is broken (reconnect); false when the backend answered. */
  readonly broken: boolean;
}

/** The SDK prefixes JSON-RPC error messages with `MCP error <code>: `. */
function stripPrefix(message: string): string {
  return message.replace(/^MCP error -?\d+: /, "");
}

/**
 * Classifies a failed backend request: a JSON-RPC error the backend sent keeps its code and
 * message; the SDK's own timeout becomes `timeout`; a closed or failing connection becomes
 * `unavailable` and marks the connection broken.
 *
 * @example
 * const where = { name: "weather", method: "tools/call", timeoutMs: 60_000, cancelled: false };
 * const { error, broken } = classifyFailure(new Error("socket hang up"), where);
 * // error: -32010 'Backend "weather" is unavailable: …', broken: true
 */
export function classifyFailure(
  err: unknown,
  where: { name: string; method: string; timeoutMs: number; cancelled: boolean },
): BackendFailure {
  if (where.cancelled) {
    return { error: new McpForgeError("cancelled", "Request was cancelled"), broken: false };
  }
  if (err instanceof McpError) {
    const data = err.data as { timeout?: unknown } | undefined;
    if (err.code === ErrorCode.RequestTimeout && typeof data?.timeout === "number") {
      return {
        error: new McpForgeError(
          "timeout",
          `Backend "${where.name}" did not answer ${where.method} within ${where.timeoutMs} ms`,
        ),
        broken: false,
      };
    }
    if (err.code !== ErrorCode.ConnectionClosed) {
      return {
        error: fromJsonRpcError({
          code: err.code,
          message: stripPrefix(err.message),
          data: err.data,
        }),
        broken: false,
      };
    }
  }
  return {
    error: new McpForgeError(
      "unavailable",
      `Backend "${where.name}" is unavailable: the connection failed during ${where.method}; reconnecting, retry later`,
      { cause: err },
    ),
    broken: true,
  };
}
