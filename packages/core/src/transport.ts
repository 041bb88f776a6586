/// <reference types="node" preserve="true" />
/**
 * `@mcpforge/core/transport`: transport plumbing for those who wire servers by hand — the
 * Streamable HTTP handler and listener, the stdio transport and runner, event stores, the
 * JSON-RPC session layer, and protocol-version negotiation. `app.run()` / `app.listen()` /
 * `app.connect()` cover most needs without it.
 */
export type {
  AttachedSessions,
  SessionBackend,
  SessionBackendContext,
  SessionBackendOptions,
} from "./http/backend.js";
export {
  type EventStore,
  type EventStoreStats,
  type MemoryEventStore,
  type MemoryEventStoreOptions,
  memoryEventStore,
  type ReplaySend,
} from "./http/event-store.js";
export { McpHttpHandler } from "./http/handler.js";
export { type HttpServerHandle, listenHttp } from "./http/listen.js";
export { type ResolvedListenOptions, resolveListenOptions } from "./http/options.js";
export { isLoopback } from "./http/security.js";
export type { BroadcastNotification, HttpHost, RouteEntry } from "./http/types.js";
export { ProtocolSession } from "./protocol/protocol-session.js";
export { Session } from "./protocol/session.js";
export type {
  IncomingExtra,
  OutgoingRequestOptions,
  ProtocolHost,
  RequestExtra,
  RequestInfo,
} from "./protocol/types.js";
export { isSupportedVersion, LATEST_VERSION, negotiateVersion } from "./protocol/version.js";
export { pickTransport, resolveRun, runStdio, type StdioHost } from "./transports/run.js";
export { StdioTransport, type StdioTransportOptions } from "./transports/stdio.js";
