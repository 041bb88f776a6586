import type { IncomingMessage, ServerResponse } from "node:http";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { isInitializeRequest } from "../protocol/initialize.js";
import { isSupportedVersion } from "../protocol/version.js";
import { httpError } from "./errors.js";

/**
 * One request header's first value.
 *
 * @example
 * header(req, "mcp-session-id");
 */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Whether the request's `Accept` header allows a media type (exactly, `type/*` or `*\/*`).
 *
 * @example
 * accepts(req, "text/event-stream");
 */
export function accepts(req: IncomingMessage, type: string): boolean {
  return acceptsIn((req.headers.accept ?? "").toLowerCase(), type);
}

/** {@link accepts} on an `Accept` value already lower-cased. */
function acceptsIn(accept: string, type: string): boolean {
  if (accept.includes(type) || accept.includes("*/*")) return true;
  return accept.includes(`${type.split("/")[0]}/*`);
}

/** A lower-cased `Content-Type` of JSON, parameters allowed. */
const JSON_TYPE = /^application\/json\s*(;|$)/;

/**
 * Checks what a POST must carry: `Accept` listing JSON and SSE (406), a JSON body (415) and
 * a supported `MCP-Protocol-Version` when present (400). Answers and returns false on failure.
 *
 * @example
 * if (!postHeadersOk(req, res)) return;
 */
export function postHeadersOk(req: IncomingMessage, res: ServerResponse): boolean {
  // the Accept value lower-cased once for both types
  const accept = (req.headers.accept ?? "").toLowerCase();
  if (!acceptsIn(accept, "application/json") || !acceptsIn(accept, "text/event-stream")) {
    httpError(
      res,
      406,
      "http_error",
      "Not Acceptable: Accept must list application/json and text/event-stream",
    );
    return false;
  }
  const type = (header(req, "content-type") ?? "").toLowerCase();
  if (!JSON_TYPE.test(type)) {
    httpError(
      res,
      415,
      "http_error",
      "Unsupported Media Type: Content-Type must be application/json",
    );
    return false;
  }
  return protocolHeaderOk(req, res);
}

/**
 * Checks the `MCP-Protocol-Version` header: absent, or a revision this server speaks (400
 * otherwise). Answers and returns false on failure.
 *
 * @example
 * if (!protocolHeaderOk(req, res)) return;
 */
export function protocolHeaderOk(req: IncomingMessage, res: ServerResponse): boolean {
  const v = header(req, "mcp-protocol-version");
  if (v === undefined || isSupportedVersion(v)) return true;
  httpError(res, 400, "http_error", `Unsupported MCP-Protocol-Version: ${v.slice(0, 40)}`);
  return false;
}

/** What a POSTed message asks of the session layer (see {@link sessionStep}). */
export type SessionStep = "open" | "lookup" | "answered";

/**
 * Whether a POSTed message opens a session (`"open"`: a valid `initialize`), belongs to an
 * existing one (`"lookup"`), or has been refused here (`"answered"`: an `initialize` that
 * carries a session id gets 400). Anything but an `initialize` is told apart synchronously; only
 * an `initialize` waits for the SDK's schema. The one rule the in-memory and the Redis session
 * backends share.
 *
 * @example
 * const message = { jsonrpc: "2.0" as const, id: 1, method: "tools/list" };
 * const pending = sessionStep(req, res, message); // "lookup", synchronously
 * const step = pending === "lookup" ? pending : await pending;
 * if (step === "answered") return;
 */
export function sessionStep(
  req: IncomingMessage,
  res: ServerResponse,
  message: JSONRPCMessage,
): "lookup" | Promise<SessionStep> {
  const initialize = isInitializeRequest(message);
  if (initialize === false) return "lookup";
  return initialize.then((valid) => {
    if (!valid) return "lookup";
    if (!header(req, "mcp-session-id")) return "open";
    httpError(
      res,
      400,
      "invalid_request",
      "Invalid Request: initialize must not carry a session id",
    );
    return "answered";
  });
}
