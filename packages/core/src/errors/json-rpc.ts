import { ErrorCodes, isMcpForgeError, kindOfCode, McpForgeError } from "./errors.js";

/** The `error` member of a JSON-RPC response. */
export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * The one place a thrown value becomes a JSON-RPC `error` object. An {@link McpForgeError}
 * keeps its code, message and data; anything else becomes `-32603 Internal error` (its
 * message could leak internals — mask and log it before it gets here, as dispatch does).
 *
 * @example
 * import { McpForgeError } from "@mcpforge/core";
 * import { toJsonRpcError } from "@mcpforge/core/authoring";
 * toJsonRpcError(new McpForgeError("invalid_params", "Unknown tool: foo"));
 * // { code: -32602, message: "Unknown tool: foo" }
 * toJsonRpcError(new Error("password authentication failed")); // { code: -32603, message: "Internal error" }
 */
export function toJsonRpcError(err: unknown): JsonRpcError {
  if (!isMcpForgeError(err)) return { code: ErrorCodes.internal, message: "Internal error" };
  const error: JsonRpcError = { code: err.code, message: err.message };
  if (err.data !== undefined) error.data = err.data;
  return error;
}

/**
 * A JSON-RPC error received from the other side (e.g. the client's answer to sampling), as
 * an {@link McpForgeError}: user code never sees the SDK's error classes. A code outside the
 * table becomes `internal`, with the original code in `data.code`.
 *
 * @example
 * throw fromJsonRpcError({ code: -32602, message: "bad params" });
 */
export function fromJsonRpcError(error: {
  code: unknown;
  message?: unknown;
  data?: unknown;
}): McpForgeError {
  const message = typeof error.message === "string" ? error.message : "Error";
  const kind = kindOfCode(error.code);
  if (kind) return new McpForgeError(kind, message, { data: error.data });
  return new McpForgeError("internal", message, { data: { code: error.code, data: error.data } });
}
