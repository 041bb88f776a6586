import type { IncomingMessage, ServerResponse } from "node:http";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Reply, ResponseMode } from "./reply.js";
import type { HttpHost, HttpRequest } from "./types.js";

/** The listen options a session backend needs. */
export interface SessionBackendOptions {
  readonly responseMode: ResponseMode;
  readonly retryMs: number;
  readonly keepAliveMs: number;
  readonly sessionIdleTimeoutMs: number;
  readonly maxSessions: number;
}

/** What the HTTP handler hands a session backend when it attaches it. */
export interface SessionBackendContext {
  readonly host: HttpHost;
  readonly options: SessionBackendOptions;
  /** The handler's in-flight answers: add each open {@link Reply} (drain and stats see them). */
  readonly inflight: Set<Reply>;
}

/**
 * The stateful sessions of one listener when a backend serves them (POST, GET, DELETE of the
 * MCP endpoint after the security checks, hooks and body parsing).
 */
export interface AttachedSessions {
  /** Sessions with local state on this instance. */
  readonly size: number;
  /** One POSTed JSON-RPC message (already checked). */
  post(req: HttpRequest, res: ServerResponse, message: JSONRPCMessage): Promise<void>;
  /** A GET (standalone stream, or a resumption with `Last-Event-ID`); Accept already checked. */
  get(req: HttpRequest, res: ServerResponse): Promise<void>;
  /** A DELETE: ends the session everywhere. */
  delete(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Ends a session (as DELETE does). */
  closeSession(id: string): Promise<boolean>;
  /** Frees local state of idle sessions; returns how many. */
  reap(now: number): number;
  /** Stops serving: frees local state, closes connections the backend opened. */
  close(): Promise<void>;
}

/**
 * A pluggable session backend for `app.listen({ sessions })`; the default (none) keeps sessions
 * in the process. `redisSessions()` from `@mcpforge/core/redis` is the shared one.
 *
 * @example
 * import type { SessionBackend } from "@mcpforge/core/transport";
 * const refuseAll: SessionBackend = {
 *   attach: () => ({
 *     size: 0,
 *     post: async (_req, res) => void res.writeHead(503).end(),
 *     get: async (_req, res) => void res.writeHead(503).end(),
 *     delete: async (_req, res) => void res.writeHead(503).end(),
 *     closeSession: async () => false,
 *     reap: () => 0,
 *     close: async () => {},
 *   }),
 * };
 */
export interface SessionBackend {
  attach(context: SessionBackendContext): AttachedSessions;
}
