import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import { McpForgeError } from "../errors/errors.js";
import { type JsonRpcError, toJsonRpcError } from "../errors/json-rpc.js";
import { asJsonRpcMessage } from "./jsonrpc-shape.js";

/** An incoming value checked against JSON-RPC 2.0 and MCP's message shapes. */
export type CheckedMessage =
  | { ok: true; message: JSONRPCMessage }
  | {
      ok: false;
      /** The error to answer with (`-32600` invalid request, `-32602` invalid params). */
      error: JsonRpcError;
      /** The request's id when it has a valid one, else null. */
      id: RequestId | null;
      /** False for a notification with bad params: JSON-RPC never answers notifications. */
      answer: boolean;
    };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function validId(value: unknown): RequestId | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return null;
}

function refuse(
  kind: "invalid_request" | "invalid_params",
  message: string,
  id: RequestId | null,
  answer = true,
): CheckedMessage {
  return { ok: false, error: toJsonRpcError(new McpForgeError(kind, message)), id, answer };
}

/**
 * Checks one incoming JSON value (a single message, or one element of a batch). A request
 * whose only fault is `params` that is not an object gets `-32602` echoing its id; anything
 * else that is not a JSON-RPC 2.0 message gets `-32600`. The one rule HTTP and stdio share.
 *
 * @example
 * const line = '{"jsonrpc":"2.0","id":7,"method":"tools/list","params":[]}';
 * const checked = checkMessage(JSON.parse(line));
 * // { ok: false, error: { code: -32602, message: … }, id: 7, answer: true }
 * if (!checked.ok && checked.answer) {
 *   const reply = { jsonrpc: "2.0", id: checked.id, error: checked.error };
 *   process.stdout.write(`${JSON.stringify(reply)}\n`);
 * }
 */
export function checkMessage(value: unknown): CheckedMessage {
  if (!isPlainObject(value)) {
    return refuse("invalid_request", "Invalid Request: not a JSON-RPC 2.0 message", null);
  }
  const id = validId(value.id);
  if (value.jsonrpc === "2.0" && typeof value.method === "string") {
    const params = value.params;
    if (params !== undefined && !isPlainObject(params)) {
      const isRequest = "id" in value && id !== null;
      return refuse(
        "invalid_params",
        `Invalid params: "params" must be an object, got ${Array.isArray(params) ? "an array" : params === null ? "null" : typeof params}`,
        id,
        isRequest,
      );
    }
  }
  const message = asJsonRpcMessage(value);
  if (message === undefined) {
    return refuse("invalid_request", "Invalid Request: not a JSON-RPC 2.0 message", id);
  }
  return { ok: true, message };
}
