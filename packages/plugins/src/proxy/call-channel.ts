import type { ResultSchema } from "@mcpforge/core/authoring";
import { ErrorCode, McpError, type Transport } from "@mcpforge/core/client";

type Message = Parameters<Transport["send"]>[0];

/**
 * Ids of the channel's requests: strings, so they never meet the SDK client's numeric ids on
 * the same connection.
 */
const ID_PREFIX = "mcpforge-call-";

/** One request waiting for its answer. */
interface Pending {
  readonly id: string;
  readonly schema: ResultSchema;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  /** Stops listening for the caller's abort. */
  stopListening: (() => void) | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Whether the request went out (a cancellation is only sent for one that did). */
  sent: boolean;
}

/** Options of {@link CallChannel.request}. */
export interface ChannelRequestOptions {
  /** Time allowed for the answer (ms); then `notifications/cancelled` and a timeout error. */
  readonly timeoutMs: number;
  /**
   * Listens for the caller's abort (as `ctx.onAbort()` does; returns the function that stops
   * listening): it sends `notifications/cancelled` and rejects with the abort's reason.
   */
  readonly onAbort?: ((listener: (reason: unknown) => void) => () => void) | undefined;
}

type Answer = { id: string; result: unknown } | { id: string; error: JSONRPCErrorBody };
interface JSONRPCErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * A lean request path on a connection an SDK `Client` owns: requests are written straight to
 * its transport, and their answers are taken off the transport before the client sees them,
 * so a forwarded call costs one map entry, one timer and (with a signal) one abort listener,
 * none of the client's per-request machinery (its response, progress and timeout maps, and
 * a zod check of every incoming message). It behaves as `client.request()` does: a JSON-RPC
 * error answer rejects with the SDK's `McpError`; the result is checked with the schema; the
 * timeout and an abort send `notifications/cancelled` and reject (timeout: an `McpError`
 * `RequestTimeout` with `data.timeout`, as the SDK's); a failed send rejects with its error;
 * the connection closing rejects every pending request with `ConnectionClosed`. Everything
 * else on the connection (notifications, the backend's requests, the client's own requests)
 * still goes to the client. Install it after `client.connect(transport)`.
 *
 * @example
 * const client = new Client({ name: "gateway", version: "1.0.0" });
 * const transport = createClientTransport({ url: "http://127.0.0.1:3001/mcp" });
 * await client.connect(transport);
 * const channel = new CallChannel(transport);
 * const result = await channel.request(
 *   "tools/call",
 *   { name: "echo", arguments: { text: "hi" } },
 *   CallToolResultSchema,
 *   { timeoutMs: 60_000 },
 * );
 */
export class CallChannel {
  readonly #transport: Transport;
  readonly #pending = new Map<string, Pending>();
  #next = 0;
  #closed = false;

  constructor(transport: Transport) {
    this.#transport = transport;
    const clientMessage = transport.onmessage;
    const clientClose = transport.onclose;
    if (!clientMessage) {
      throw new Error("CallChannel: install it after the client connected the transport");
    }
    transport.onmessage = (message, extra) => {
      const id = (message as { id?: unknown }).id;
      if (typeof id === "string" && id.startsWith(ID_PREFIX) && !("method" in message)) {
        // ours; an answer to a request given up (cancelled, timed out) is dropped
        const pending = this.#pending.get(id);
        if (pending) this.#answer(pending, message as Answer);
        return;
      }
      clientMessage(message, extra);
    };
    transport.onclose = () => {
      clientClose?.();
      this.#close();
    };
  }

  /** How many requests are waiting for their answer. */
  get size(): number {
    return this.#pending.size;
  }

  /** Sends a request; resolves with its result, checked with `schema`. */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    schema: ResultSchema,
    options: ChannelRequestOptions,
  ): Promise<unknown> {
    if (this.#closed) return Promise.reject(closedError());
    const id = `${ID_PREFIX}${++this.#next}`;
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        id,
        schema,
        resolve,
        reject,
        stopListening: undefined,
        timer: undefined,
        sent: false,
      };
      this.#pending.set(id, pending);
      // an abort that came first rejects at once, and nothing is sent
      pending.stopListening = options.onAbort?.((reason) => this.#cancel(pending, reason));
      if (!this.#pending.has(id)) return;
      const timeout = options.timeoutMs;
      pending.timer = setTimeout(
        () =>
          this.#cancel(
            pending,
            new McpError(ErrorCode.RequestTimeout, "Request timed out", { timeout }),
          ),
        timeout,
      );
      pending.sent = true;
      const message = { jsonrpc: "2.0", id, method, params } as Message;
      this.#transport.send(message).catch((err: unknown) => {
        if (this.#settle(pending)) reject(err);
      });
    });
  }

  /** Takes a request out of the pending ones; false if it was already settled. */
  #settle(pending: Pending): boolean {
    if (!this.#pending.delete(pending.id)) return false;
    clearTimeout(pending.timer);
    pending.stopListening?.();
    return true;
  }

  #answer(pending: Pending, answer: Answer): void {
    if (!this.#settle(pending)) return;
    if ("error" in answer) {
      const e = answer.error;
      pending.reject(McpError.fromError(e.code, e.message, e.data));
      return;
    }
    let checked: ReturnType<ResultSchema["safeParse"]>;
    try {
      checked = pending.schema.safeParse(answer.result);
    } catch (err) {
      pending.reject(err);
      return;
    }
    if (checked.success) pending.resolve(checked.data);
    else pending.reject(checked.error);
  }

  /** Gives a request up: tells the server (`notifications/cancelled`) and rejects it. */
  #cancel(pending: Pending, reason: unknown): void {
    if (!this.#settle(pending)) return;
    const cancelled = {
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: pending.id, reason: String(reason) },
    } as Message;
    if (pending.sent && !this.#closed) this.#transport.send(cancelled).catch(() => {});
    pending.reject(
      reason instanceof McpError ? reason : new McpError(ErrorCode.RequestTimeout, String(reason)),
    );
  }

  /** The connection closed: every pending request fails with `ConnectionClosed`. */
  #close(): void {
    this.#closed = true;
    const error = closedError();
    for (const pending of [...this.#pending.values()]) {
      if (this.#settle(pending)) pending.reject(error);
    }
  }
}

function closedError(): McpError {
  return McpError.fromError(ErrorCode.ConnectionClosed, "Connection closed");
}
