import type { ServerResponse } from "node:http";
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";
import { type ErrorKind, McpForgeError } from "../errors/errors.js";
import { toJsonRpcError } from "../errors/json-rpc.js";

/** Options of {@link httpError}. */
export interface HttpErrorOptions {
  /** Extra response headers (`Retry-After`, `WWW-Authenticate`, …). */
  headers?: Record<string, string>;
  /** The JSON-RPC id to echo, when the request's id is known (default `null`). */
  id?: RequestId | null;
  /** The error's `data` member. */
  data?: unknown;
}

/**
 * Answers an HTTP request with a JSON-RPC error body (shaped by `toJsonRpcError`, the one
 * place errors are shaped) and an HTTP status. Bodies never carry stack frames or paths.
 *
 * @example
 * httpError(res, 404, "session_not_found", "Session not found");
 * httpError(res, 503, "unavailable", "Try later", { headers: { "retry-after": "5" } });
 */
export function httpError(
  res: ServerResponse,
  status: number,
  kind: ErrorKind,
  message: string,
  options: HttpErrorOptions = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const error = toJsonRpcError(new McpForgeError(kind, message, { data: options.data }));
  const body = JSON.stringify({ jsonrpc: "2.0", id: options.id ?? null, error });
  res.writeHead(status, {
    ...options.headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * The 400 for a request whose id is still in flight in its session (ids must be unique).
 *
 * @example
 * import type { HttpSessionTransport } from "./session-transport.js";
 * declare const transport: HttpSessionTransport;
 * const request = { jsonrpc: "2.0" as const, id: 7, method: "tools/call" };
 * if (transport.hasReply(request.id)) idInFlight(res, request.id);
 */
export function idInFlight(res: ServerResponse, id: RequestId): void {
  httpError(res, 400, "invalid_request", "Invalid Request: this id is already in flight", { id });
}

/**
 * The 503 for an `initialize` when the session limit is reached (`Retry-After: 30`).
 *
 * @example
 * declare const sessions: { readonly full: boolean };
 * if (sessions.full) tooManySessions(res);
 */
export function tooManySessions(res: ServerResponse): void {
  httpError(res, 503, "unavailable", "Too many sessions, retry later", {
    headers: { "retry-after": "30" },
  });
}

/**
 * Answers an HTTP request with a JSON body (a JSON-RPC response, or an array of them).
 *
 * @example
 * writeJson(res, 200, { jsonrpc: "2.0", id: 1, result: {} });
 */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
