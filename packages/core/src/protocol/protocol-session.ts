import type {
  ClientCapabilities,
  Implementation,
  JSONRPCMessage,
  JSONRPCRequest,
  MessageExtraInfo,
  Notification,
  RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import { McpForgeError } from "../errors/errors.js";
import { fromJsonRpcError, toJsonRpcError } from "../errors/json-rpc.js";
import { LazyAbort } from "../utils/lazy-abort.js";
import { LazyMap } from "../utils/lazy-map.js";
import { AbortableExtra } from "./abortable-extra.js";
import type {
  DirectProtocol,
  IncomingExtra,
  OutgoingRequestOptions,
  ProtocolHost,
  RequestAwareTransport,
  RequestExtra,
  ResultSchema,
} from "./types.js";
import { negotiateVersion } from "./version.js";

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  schema: ResultSchema;
  cleanup(): void;
}

const DEFAULT_TIMEOUT = 60_000;

/**
 * MCP's JSON-RPC session layer for one connection, without the SDK's per-connection `Server`:
 * initialize and ping, request dispatch with cancellation, server-to-client requests with
 * response correlation and timeouts, and notifications. Cheap to create (a few fields).
 *
 * @example
 * import { McpForgeError } from "@mcpforge/core";
 * import { ProtocolSession, StdioTransport } from "@mcpforge/core/transport";
 * // One stdio connection that answers tools/list (app.run() does all of this for an app).
 * const host = {
 *   dispatch: async (request: { method: string }) => {
 *     if (request.method === "tools/list") return { tools: [] };
 *     throw new McpForgeError("method_not_found", `Method not found: ${request.method}`);
 *   },
 *   notification: (n: { method: string }) => console.error("notification", n.method),
 *   initializeResult: (protocolVersion: string) => ({
 *     protocolVersion,
 *     capabilities: { tools: {} },
 *     serverInfo: { name: "by-hand", version: "1.0.0" },
 *   }),
 * };
 * const protocol = new ProtocolSession(host, new StdioTransport());
 * await protocol.start();
 */
export class ProtocolSession implements DirectProtocol {
  clientCapabilities: ClientCapabilities | undefined;
  clientInfo: Implementation | undefined;
  protocolVersion: string | undefined;
  /** Called once when the connection closes. */
  onclose: (() => void) | undefined;
  readonly #host: ProtocolHost;
  readonly #transport: RequestAwareTransport;
  /** The requests being answered (one at a time, usually: no hash table to fill and empty). */
  #inflight: LazyMap<RequestId, LazyAbort> | undefined;
  #pending: Map<RequestId, Pending> | undefined;
  #nextId = 0;
  #closed = false;

  constructor(host: ProtocolHost, transport: RequestAwareTransport) {
    this.#host = host;
    this.#transport = transport;
  }

  /** Wires the transport and starts it. */
  async start(): Promise<void> {
    const t = this.#transport;
    if (t.attachProtocol) {
      t.attachProtocol(this);
    } else {
      wireCallbacks(t, this);
    }
    await t.start();
  }

  /** Handles one incoming message (called by the transport). */
  receive(message: JSONRPCMessage, info?: MessageExtraInfo): void {
    if ("method" in message) {
      if ("id" in message) this.#onRequest(message as JSONRPCRequest, info as IncomingExtra);
      else this.#onNotification(message as Notification);
      return;
    }
    const id = (message as { id?: RequestId }).id;
    const pending = id === undefined ? undefined : this.#pending?.get(id);
    if (!pending || id === undefined) return;
    this.#pending?.delete(id);
    pending.cleanup();
    if ("error" in message) {
      const e = message.error;
      pending.reject(fromJsonRpcError(e));
      return;
    }
    const parsed = pending.schema.safeParse((message as { result: unknown }).result);
    if (parsed.success) pending.resolve(parsed.data);
    else
      pending.reject(
        new McpForgeError(
          "invalid_params",
          `Invalid result from the client: ${parsed.error?.message ?? ""}`,
        ),
      );
  }

  #onNotification(n: Notification): void {
    if (n.method === "notifications/cancelled") {
      const id = (n.params as { requestId?: RequestId } | undefined)?.requestId;
      const running = id === undefined ? undefined : this.#inflight?.get(id);
      if (id !== undefined && running) {
        running.abort((n.params as { reason?: unknown }).reason);
        // No response follows a cancellation: let the transport end that request's channel now.
        this.#transport.requestCancelled?.(id);
      }
    }
    this.#host.notification(n);
  }

  /** The transport's session id (undefined for transports without sessions). */
  get sessionId(): string | undefined {
    return this.#transport.sessionId;
  }

  #reply(message: JSONRPCMessage): void {
    if (this.#closed) return;
    // the connection is gone when this fails; nothing more can be sent
    this.#transport.send(message).catch(ignore);
  }

  #onRequest(request: JSONRPCRequest, info: IncomingExtra | undefined): void {
    const { id, method } = request;
    if (method === "initialize") {
      const params = (request.params ?? {}) as {
        protocolVersion?: unknown;
        capabilities?: ClientCapabilities;
        clientInfo?: Implementation;
      };
      this.clientCapabilities = params.capabilities;
      this.clientInfo = params.clientInfo;
      this.protocolVersion = negotiateVersion(params.protocolVersion);
      this.#reply({
        jsonrpc: "2.0",
        id,
        result: this.#host.initializeResult(this.protocolVersion),
      });
      return;
    }
    if (method === "ping") {
      this.#reply({ jsonrpc: "2.0", id, result: {} });
      return;
    }
    // the request's abort signal is made only if someone reads it (most handlers do not)
    const controller = new LazyAbort();
    this.#inflight ??= new LazyMap();
    this.#inflight.set(id, controller);
    void this.#answer(
      request,
      new SessionRequestExtra(this, request, controller, info),
      controller,
    );
  }

  /** Dispatches one request and sends its response (none once it was cancelled). */
  async #answer(
    request: JSONRPCRequest,
    extra: RequestExtra,
    controller: LazyAbort,
  ): Promise<void> {
    const id = request.id;
    let answer: JSONRPCMessage;
    try {
      const result = await this.#host.dispatch(request, extra);
      answer = { jsonrpc: "2.0", id, result: result as Record<string, unknown> };
    } catch (err) {
      answer = { jsonrpc: "2.0", id, error: toJsonRpcError(err) };
    }
    this.#inflight?.delete(id);
    if (controller.aborted) return;
    this.#reply(answer);
  }

  /**
   * Sends a notification, tied to a request when `relatedRequestId` is given (so HTTP puts it
   * on that request's stream). Dropped once the request was cancelled.
   */
  async notify(
    n: Notification,
    relatedRequestId?: RequestId,
    signal?: { readonly aborted: boolean },
  ): Promise<void> {
    if (this.#closed || signal?.aborted) return;
    const message = { jsonrpc: "2.0" as const, ...n } as JSONRPCMessage;
    await this.#transport.send(
      message,
      relatedRequestId === undefined ? undefined : { relatedRequestId },
    );
  }

  /** Sends a server-to-client request and resolves with the client's validated answer. */
  request(
    r: { method: string; params?: unknown },
    schema: ResultSchema,
    options: OutgoingRequestOptions = {},
  ): Promise<unknown> {
    if (this.#closed) return Promise.reject(closedError());
    if (options.signal?.aborted) return Promise.reject(cancelledError());
    const id = `s${++this.#nextId}`;
    return new Promise((resolve, reject) => {
      const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT;
      const timer = setTimeout(() => {
        fail(
          new McpForgeError(
            "timeout",
            `The client did not answer ${r.method} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      timer.unref?.();
      const onAbort = () => fail(cancelledError(), true);
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      };
      const fail = (err: Error, notifyClient = true) => {
        if (!this.#pending?.delete(id)) return;
        cleanup();
        if (notifyClient) {
          void this.notify({
            method: "notifications/cancelled",
            params: { requestId: id, reason: err.message },
          }).catch(() => {});
        }
        reject(err);
      };
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending ??= new Map();
      this.#pending.set(id, { resolve, reject, schema, cleanup });
      const message = {
        jsonrpc: "2.0" as const,
        id,
        method: r.method,
        ...(r.params === undefined ? {} : { params: r.params }),
      } as JSONRPCMessage;
      const sendOptions =
        options.relatedRequestId === undefined
          ? undefined
          : { relatedRequestId: options.relatedRequestId };
      this.#transport.send(message, sendOptions).catch((err: unknown) => {
        if (!this.#pending?.delete(id)) return;
        cleanup();
        reject(
          new McpForgeError("connection_closed", `Could not send ${r.method} to the client`, {
            cause: err,
          }),
        );
      });
    });
  }

  /** Closes the transport (in-flight handlers are aborted, pending requests rejected). */
  async close(): Promise<void> {
    await this.#transport.close();
    this.transportClosed();
  }

  /** The transport closed: aborts in-flight handlers, rejects pending requests (once). */
  transportClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#inflight) for (const c of this.#inflight.values()) c.abort();
    this.#inflight = undefined;
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) {
      for (const p of pending.values()) {
        p.cleanup();
        p.reject(closedError());
      }
    }
    this.#host.closed?.();
    this.onclose?.();
  }
}

/** Wires a transport that only has the SDK's callbacks (chaining an `onclose` set before). */
function wireCallbacks(t: RequestAwareTransport, protocol: DirectProtocol): void {
  const previousClose = t.onclose;
  t.onclose = () => {
    previousClose?.();
    protocol.transportClosed();
  };
  t.onmessage = (message, extra) => protocol.receive(message, extra);
}

/**
 * The {@link RequestExtra} of one request of a session. Its signal and its functions
 * (`sendNotification`, `sendRequest`, `closeSSEStream`) are made on first read: most handlers use
 * none of them, and a closure made per request costs more than reading a getter.
 */
class SessionRequestExtra extends AbortableExtra implements RequestExtra {
  readonly #protocol: ProtocolSession;
  readonly #info: IncomingExtra | undefined;
  #notify: RequestExtra["sendNotification"] | undefined;
  #request: RequestExtra["sendRequest"] | undefined;
  readonly requestId: RequestId;
  readonly sessionId: string | undefined;
  readonly _meta: Record<string, unknown> | undefined;
  readonly authInfo: RequestExtra["authInfo"];
  readonly requestInfo: RequestExtra["requestInfo"];
  readonly responseHeaders: RequestExtra["responseHeaders"];

  constructor(
    protocol: ProtocolSession,
    request: JSONRPCRequest,
    abort: LazyAbort,
    info: IncomingExtra | undefined,
  ) {
    super(abort);
    this.#protocol = protocol;
    this.#info = info;
    this.requestId = request.id;
    this.sessionId = protocol.sessionId;
    this._meta = (request.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
    this.authInfo = info?.authInfo;
    this.requestInfo = info?.requestInfo;
    this.responseHeaders = info?.responseHeaders;
  }

  get closeSSEStream(): RequestExtra["closeSSEStream"] {
    return this.#info?.closeSSEStream;
  }

  get sendNotification(): RequestExtra["sendNotification"] {
    const { requestId } = this;
    const abort = this.lazyAbort;
    this.#notify ??= (n) => this.#protocol.notify(n, requestId, abort);
    return this.#notify;
  }

  get sendRequest(): RequestExtra["sendRequest"] {
    const { requestId } = this;
    const abort = this.lazyAbort;
    this.#request ??= <T>(
      r: { method: string; params?: unknown },
      schema: ResultSchema,
      options?: OutgoingRequestOptions,
    ) =>
      this.#protocol.request(r, schema, {
        signal: abort.signal,
        ...options,
        relatedRequestId: requestId,
      }) as Promise<T>;
    return this.#request;
  }
}

function ignore(): void {}

function closedError(): McpForgeError {
  return new McpForgeError("connection_closed", "Connection closed");
}

function cancelledError(): McpForgeError {
  return new McpForgeError("cancelled", "Request was cancelled");
}
