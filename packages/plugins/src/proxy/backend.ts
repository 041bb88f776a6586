import { type ListKind, McpForgeError, type ServerLogger } from "@mcpforge/core";
import type { ForwardedCall, ResultSchema } from "@mcpforge/core/authoring";
import {
  Client,
  type ClientTarget,
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  createClientTransport,
  ElicitRequestSchema,
  ElicitResultSchema,
  type Implementation,
  ListRootsRequestSchema,
  ListRootsResultSchema,
  LoggingMessageNotificationSchema,
  ProgressNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type ServerCapabilities,
  StdioClientTransport,
  ToolListChangedNotificationSchema,
} from "@mcpforge/core/client";
import { CallChannel } from "./call-channel.js";
import { classifyFailure } from "./errors.js";

/** Where the backend connection is. */
export type BackendState = "idle" | "connecting" | "connected" | "reconnecting" | "closed";

/** A snapshot of the backend connection, for health checks and diagnostics. */
export interface BackendStatus {
  readonly state: BackendState;
  /** Failed reconnection attempts since the connection was last up. */
  readonly attempts: number;
  /** The last connection error (server-side detail; not sent to clients). */
  readonly lastError: string | undefined;
  /** The backend's `serverInfo` from `initialize`. */
  readonly serverInfo: Implementation | undefined;
  readonly capabilities: ServerCapabilities | undefined;
  /** The process id of a stdio backend. */
  readonly pid: number | undefined;
  /** How many calls are waiting for the backend now. */
  readonly inFlight: number;
}

/** Reconnection with exponential backoff. */
export interface ReconnectOptions {
  /** First delay (default 200 ms); it doubles with each failed attempt. */
  initialDelayMs?: number;
  /** Largest delay (default 10 000 ms). */
  maxDelayMs?: number;
  /** Give up after this many failed attempts (default Infinity). */
  maxAttempts?: number;
}

/** What the backend connection needs from the proxy. */
export interface BackendSettings {
  readonly name: string;
  readonly target: ClientTarget;
  readonly clientInfo: Implementation;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly reconnect: Required<ReconnectOptions>;
  readonly logger: ServerLogger;
  /** Called after each (re)connection, before calls are served. */
  onConnected(client: Client): Promise<void>;
  onListChanged(kind: ListKind): void;
  onResourceUpdated(uri: string): void;
}

const CLIENT_CAPABILITIES = {
  sampling: {},
  elicitation: { form: {}, url: {} },
  roots: {},
};

type CallerCapability = "sampling" | "elicitation" | "roots";

/**
 * One connection to a backend MCP server, reused by every call: reconnects with backoff when
 * it drops, tracks the calls in flight, and routes the backend's notifications and requests
 * (logs, sampling, elicitation, roots) to the calling client.
 *
 * @example
 * const backend = new Backend({
 *   name: "weather",
 *   target: { url: "http://127.0.0.1:3001/mcp" },
 *   clientInfo: { name: "gateway", version: "1.0.0" },
 *   timeoutMs: 60_000,
 *   connectTimeoutMs: 30_000,
 *   reconnect: { initialDelayMs: 200, maxDelayMs: 10_000, maxAttempts: 10 },
 *   logger,
 *   onConnected: async () => {},
 *   onListChanged: () => {},
 *   onResourceUpdated: () => {},
 * });
 * await backend.connect();
 * backend.status().state; // "connected"
 */
export class Backend {
  readonly #s: BackendSettings;
  #client: Client | undefined;
  /** The lean request path for forwarded calls, on the client's connection. */
  #channel: CallChannel | undefined;
  #state: BackendState = "idle";
  #attempts = 0;
  #lastError: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #gaveUp = false;
  #pid: number | undefined;
  readonly #calls = new Set<ForwardedCall>();
  /** Calls waiting for progress, by the progress token sent to the backend. */
  readonly #progress = new Map<string, ForwardedCall>();
  #nextToken = 0;

  constructor(settings: BackendSettings) {
    this.#s = settings;
  }

  get state(): BackendState {
    return this.#state;
  }

  status(): BackendStatus {
    return {
      state: this.#state,
      attempts: this.#attempts,
      lastError: this.#lastError,
      serverInfo: this.#client?.getServerVersion(),
      capabilities: this.#client?.getServerCapabilities(),
      pid: this.#pid,
      inFlight: this.#calls.size,
    };
  }

  /** Opens the first connection; rejects with a clear error when the backend cannot be reached. */
  async connect(): Promise<void> {
    if (this.#state !== "idle") return;
    this.#state = "connecting";
    try {
      await this.#open();
    } catch (err) {
      this.#lastError = (err as Error).message;
      this.#state = "idle";
      throw new Error(
        `@mcpforge/plugins: createProxy(): backend "${this.#s.name}" cannot be reached: ${this.#lastError}`,
        { cause: err },
      );
    }
  }

  /** Keeps trying to connect in the background (for `failFast: false`). */
  connectInBackground(): void {
    if (this.#state !== "idle") return;
    this.#state = "reconnecting";
    this.#schedule();
  }

  async #open(): Promise<void> {
    const client = new Client(this.#s.clientInfo, { capabilities: CLIENT_CAPABILITIES });
    this.#install(client);
    const transport = createClientTransport(this.#s.target);
    client.onclose = () => this.#dropped(client);
    try {
      await client.connect(transport, { timeout: this.#s.connectTimeoutMs });
      if (this.#state === "closed") throw new Error("the proxy was closed while connecting");
      const channel = new CallChannel(transport);
      this.#pid =
        transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined;
      if (client.getServerCapabilities()?.logging) {
        await client.setLoggingLevel("debug").catch(() => {});
      }
      this.#client = client;
      this.#channel = channel;
      await this.#s.onConnected(client);
    } catch (err) {
      this.#client = undefined;
      this.#channel = undefined;
      client.onclose = undefined;
      await client.close().catch(() => {});
      throw err;
    }
    this.#state = "connected";
    this.#attempts = 0;
    this.#gaveUp = false;
    this.#lastError = undefined;
  }

  #dropped(client: Client): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    this.#channel = undefined;
    if (this.#state === "closed") return;
    this.#lastError ??= "the connection closed";
    this.#s.logger.warn(`backend "${this.#s.name}" disconnected; reconnecting`, {
      error: this.#lastError,
    });
    this.#state = "reconnecting";
    this.#schedule();
  }

  #schedule(): void {
    const r = this.#s.reconnect;
    if (this.#attempts >= r.maxAttempts) {
      this.#gaveUp = true;
      this.#s.logger.error(
        `backend "${this.#s.name}": giving up after ${this.#attempts} attempts`,
        {
          error: this.#lastError,
        },
      );
      return;
    }
    const base = Math.min(r.maxDelayMs, r.initialDelayMs * 2 ** this.#attempts);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#state === "closed") return;
      this.#attempts++;
      this.#open().then(
        () => {
          this.#s.logger.info(`backend "${this.#s.name}" connected`);
        },
        (err: unknown) => {
          this.#lastError = (err as Error).message;
          if (this.#state !== "closed") this.#schedule();
        },
      );
    }, delay);
    this.#timer.unref?.();
  }

  /** The connected client, or an `unavailable` error for the caller. */
  client(): Client {
    if (this.#client && this.#state === "connected") return this.#client;
    throw this.#unavailable();
  }

  #unavailable(): McpForgeError {
    const why =
      this.#state === "closed"
        ? "the proxy is closed"
        : this.#gaveUp
          ? `gave up reconnecting after ${this.#attempts} attempts`
          : this.#state === "reconnecting"
            ? `reconnecting (attempt ${this.#attempts + 1})`
            : "not connected yet";
    return new McpForgeError(
      "unavailable",
      `Backend "${this.#s.name}" is unavailable: ${why}; retry later`,
    );
  }

  /**
   * Sends one request for a calling client: its `_meta` goes along (its progress token is
   * replaced by one of ours, and progress is re-sent with the caller's token), its
   * cancellation is forwarded, and the per-call timeout applies. It goes on the lean request
   * path ({@link CallChannel}) of the client's connection, not through the SDK client's
   * `request()`; the client keeps serving lists, subscriptions and the backend's messages.
   */
  async request(
    call: ForwardedCall,
    method: string,
    params: Record<string, unknown>,
    schema: ResultSchema,
  ): Promise<unknown> {
    const client = this.client();
    const channel = this.#channel as CallChannel;
    // params without `_meta` (most calls) go as they are; they are not changed
    let out = params;
    let token: string | undefined;
    if (params._meta !== undefined) {
      const { _meta, ...rest } = params;
      const { progressToken, ...meta } = (_meta ?? {}) as Record<string, unknown>;
      out = rest;
      // Our own token, not the SDK's `onprogress`: the SDK drops a progress notification that
      // arrives together with the response (it handles notifications a microtask later).
      if (progressToken !== undefined) {
        token = `mcpforge-${++this.#nextToken}`;
        meta.progressToken = token;
        this.#progress.set(token, call);
      }
      if (Object.keys(meta).length > 0) out._meta = meta;
    }
    // the caller's abort, listened to without making its AbortSignal
    let cancelled = false;
    const ctx = call.ctx;
    const options = {
      timeoutMs: this.#s.timeoutMs,
      onAbort: (listener: (reason: unknown) => void) =>
        ctx.onAbort((reason) => {
          cancelled = true;
          listener(reason);
        }),
    };
    this.#calls.add(call);
    try {
      // through the caller's outgoing wrappers (trace context, headers in `_meta`, …)
      return await call.ctx.outgoing({ method, params: out }, (r) =>
        channel.request(r.method, r.params, schema, options),
      );
    } catch (err) {
      const { error, broken } = classifyFailure(err, {
        name: this.#s.name,
        method,
        timeoutMs: this.#s.timeoutMs,
        cancelled,
      });
      if (broken && client === this.#client) {
        this.#lastError = (err as Error)?.message ?? String(err);
        void client.close().catch(() => {});
      }
      throw error;
    } finally {
      this.#calls.delete(call);
      if (token !== undefined) this.#progress.delete(token);
    }
  }

  /** Closes the connection for good. */
  async close(): Promise<void> {
    this.#state = "closed";
    if (this.#timer) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    this.#channel = undefined;
    await client?.close().catch(() => {});
  }

  /**
   * The call a backend notification or request belongs to: the latest call in flight, when
   * every call in flight comes from the same client session (a backend message carries no
   * reference to the request it serves; with several clients it cannot be attributed).
   */
  #caller(): ForwardedCall | undefined {
    let latest: ForwardedCall | undefined;
    for (const call of this.#calls) {
      if (latest && latest.ctx.session.id !== call.ctx.session.id) return undefined;
      latest = call;
    }
    return latest;
  }

  async #toCaller(
    request: { method: string; params?: Record<string, unknown> },
    capability: CallerCapability,
    schema: ResultSchema,
    signal: AbortSignal,
  ): Promise<never> {
    const call = this.#caller();
    if (!call) {
      throw new McpForgeError(
        "unavailable",
        `${request.method} cannot be forwarded: no call in flight, or calls from several clients`,
      );
    }
    if (!call.ctx.session.clientCapabilities?.[capability]) {
      throw new McpForgeError(
        "capability_missing",
        `The calling client does not support ${capability} (it did not declare the "${capability}" capability)`,
      );
    }
    const { method, params } = request;
    return call.request({ method, ...(params === undefined ? {} : { params }) }, schema, {
      signal,
    });
  }

  #install(client: Client): void {
    client.setRequestHandler(CreateMessageRequestSchema, (r, extra) =>
      this.#toCaller(r, "sampling", CreateMessageResultSchema, extra.signal),
    );
    client.setRequestHandler(ElicitRequestSchema, (r, extra) =>
      this.#toCaller(r, "elicitation", ElicitResultSchema, extra.signal),
    );
    client.setRequestHandler(ListRootsRequestSchema, (r, extra) =>
      this.#toCaller(r, "roots", ListRootsResultSchema, extra.signal),
    );
    client.setNotificationHandler(ProgressNotificationSchema, (n) => {
      const call = this.#progress.get(String(n.params.progressToken));
      if (call)
        return call.ctx
          .progress(n.params.progress, n.params.total, n.params.message)
          .catch(() => {});
    });
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      const call = this.#caller();
      if (call) return call.notify({ method: n.method, params: n.params }).catch(() => {});
      this.#s.logger.debug(`backend "${this.#s.name}" log`, { ...n.params });
    });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () =>
      this.#s.onListChanged("tools"),
    );
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () =>
      this.#s.onListChanged("resources"),
    );
    client.setNotificationHandler(PromptListChangedNotificationSchema, () =>
      this.#s.onListChanged("prompts"),
    );
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) =>
      this.#s.onResourceUpdated(n.params.uri),
    );
  }
}
