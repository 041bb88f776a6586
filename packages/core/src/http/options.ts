import type { SessionBackend } from "./backend.js";
import type { EventStore } from "./event-store.js";
import type { ResponseMode } from "./reply.js";
import type { CorsOptions } from "./security.js";

/** Options of `app.listen()` (Streamable HTTP, spec 2025-11-25). */
export interface ListenOptions {
  /** Bind address (default `127.0.0.1`). Binding elsewhere needs `allowedHosts`, auth, or `dangerouslyAllowAnyHost`. */
  host?: string;
  /** Port (default 3000; 0 picks a free one). */
  port?: number;
  /** MCP endpoint path (default `/mcp`). */
  path?: string;
  /** `stateful` (sessions, default) or `stateless` (no session id; GET/DELETE → 405). */
  mode?: "stateful" | "stateless";
  /** `auto` (JSON unless something streams first, default), `json`, or `sse`. */
  responseMode?: ResponseMode;
  /** Allowed Host header values (hostname, or host:port). Default: loopback names only. */
  allowedHosts?: string[];
  /** Extra allowed Origin values (loopback origins always pass). */
  allowedOrigins?: string[];
  /** Disable the Host check. Unsafe: exposes the server to DNS rebinding. */
  dangerouslyAllowAnyHost?: boolean;
  /** CORS for browser clients, from an allow-list. */
  cors?: CorsOptions;
  /** Largest accepted request body in bytes (default 4 MiB). */
  maxBodyBytes?: number;
  /** Idle sessions are closed after this long (default 30 min). */
  sessionIdleTimeoutMs?: number;
  /** Open sessions cap; new initializes get 503 + Retry-After (default 10,000). */
  maxSessions?: number;
  /**
   * Where stateful sessions live (default: in this process). `redisSessions()` from
   * `@mcpforge/core/redis` shares them between instances behind a plain load balancer.
   */
  sessions?: SessionBackend;
  /** SSE event store for resumability (default: in memory, per session). */
  eventStore?: EventStore;
  /** Keep-alive comment interval on idle SSE streams (default 15 s; 0 disables). */
  keepAliveMs?: number;
  /** `retry:` hint sent in priming events (default 1000 ms). */
  retryMs?: number;
  /** Time allowed to receive request headers (default 10 s; slowloris guard). */
  headersTimeoutMs?: number;
  /** Time allowed to receive a whole request (default 30 s). */
  requestTimeoutMs?: number;
  /** Idle keep-alive socket timeout (default 5 s). */
  keepAliveTimeoutMs?: number;
  /** Graceful shutdown deadline for in-flight calls (default 10 s). */
  shutdownTimeoutMs?: number;
  /** Install SIGTERM/SIGINT handlers that shut down gracefully and exit 0 (default false; true via `app.run()`). */
  handleSignals?: boolean;
}

/** Options with every default filled in. */
export type ResolvedListenOptions = Required<
  Omit<ListenOptions, "cors" | "eventStore" | "allowedHosts" | "sessions">
> &
  Pick<ListenOptions, "cors" | "eventStore" | "allowedHosts" | "sessions">;

/**
 * Fills in defaults and validates listen options; throws a clear error on bad values.
 *
 * @example
 * const o = resolveListenOptions({ port: 0 });
 */
export function resolveListenOptions(o: ListenOptions = {}): ResolvedListenOptions {
  const r: ResolvedListenOptions = {
    host: o.host ?? "127.0.0.1",
    port: o.port ?? 3000,
    path: o.path ?? "/mcp",
    mode: o.mode ?? "stateful",
    responseMode: o.responseMode ?? "auto",
    allowedHosts: o.allowedHosts,
    allowedOrigins: o.allowedOrigins ?? [],
    dangerouslyAllowAnyHost: o.dangerouslyAllowAnyHost ?? false,
    cors: o.cors,
    maxBodyBytes: o.maxBodyBytes ?? 4 * 1024 * 1024,
    sessionIdleTimeoutMs: o.sessionIdleTimeoutMs ?? 30 * 60_000,
    maxSessions: o.maxSessions ?? 10_000,
    eventStore: o.eventStore,
    sessions: o.sessions,
    keepAliveMs: o.keepAliveMs ?? 15_000,
    retryMs: o.retryMs ?? 1000,
    headersTimeoutMs: o.headersTimeoutMs ?? 10_000,
    requestTimeoutMs: o.requestTimeoutMs ?? 30_000,
    keepAliveTimeoutMs: o.keepAliveTimeoutMs ?? 5_000,
    shutdownTimeoutMs: o.shutdownTimeoutMs ?? 10_000,
    handleSignals: o.handleSignals ?? false,
  };
  const positive = [
    "maxBodyBytes",
    "sessionIdleTimeoutMs",
    "maxSessions",
    "headersTimeoutMs",
    "requestTimeoutMs",
    "shutdownTimeoutMs",
  ] as const;
  for (const key of positive) {
    if (!Number.isFinite(r[key]) || r[key] <= 0) {
      throw new Error(`@mcpforge/core: listen option ${key} must be a positive number`);
    }
  }
  if (r.headersTimeoutMs > r.requestTimeoutMs) {
    throw new Error(
      `@mcpforge/core: listen option headersTimeoutMs (${r.headersTimeoutMs}) must not exceed requestTimeoutMs (${r.requestTimeoutMs})`,
    );
  }
  if (!Number.isInteger(r.port) || r.port < 0 || r.port > 65535) {
    throw new Error("@mcpforge/core: listen option port must be an integer from 0 to 65535");
  }
  if (!r.path.startsWith("/"))
    throw new Error('@mcpforge/core: listen option path must start with "/"');
  if (r.mode !== "stateful" && r.mode !== "stateless") {
    throw new Error('@mcpforge/core: listen option mode must be "stateful" or "stateless"');
  }
  if (!["auto", "json", "sse"].includes(r.responseMode)) {
    throw new Error('@mcpforge/core: listen option responseMode must be "auto", "json" or "sse"');
  }
  return r;
}
