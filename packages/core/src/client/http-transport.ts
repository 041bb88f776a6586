/**
 * A lean Streamable HTTP client transport on `node:http`/`node:https` with a keep-alive agent
 * of its own: one request head built from plain strings, one write per request, no WHATWG
 * `Headers`/`Response`/streams, and messages checked by shape (see messages.ts).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { toMessage } from "./messages.js";
import { SseReader } from "./sse-reader.js";

/** Options of {@link HttpClientTransport}. */
export interface HttpClientTransportOptions {
  /** Sent with every request (e.g. `Authorization`). */
  headers?: Record<string, string>;
  /** Resume an existing session instead of starting one. */
  sessionId?: string;
  /** How long `close()` waits for the session's `DELETE` (default 2 000 ms). */
  closeTimeoutMs?: number;
}

/** Delays before re-opening a dropped standalone GET stream (then it is given up). */
const GET_RETRY_MS = [500, 1000, 2000];
const STATUS_TEXT: Record<number, string> = { 404: "session not found (expired or terminated)" };

type Head = string[];

/** The request ids in a message or batch (the ones a POST answer must answer). */
function requestIds(message: JSONRPCMessage | JSONRPCMessage[]): (string | number)[] {
  const ids: (string | number)[] = [];
  for (const m of Array.isArray(message) ? message : [message]) {
    if ("method" in m && "id" in m && m.id !== undefined) ids.push(m.id);
  }
  return ids;
}

function isInitialized(message: JSONRPCMessage | JSONRPCMessage[]): boolean {
  return (
    !Array.isArray(message) && "method" in message && message.method === "notifications/initialized"
  );
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.once("error", reject);
    res.once("aborted", () => reject(new Error("the answer was cut off")));
    res.once("end", () =>
      resolve(
        (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString("utf8"),
      ),
    );
  });
}

/**
 * An MCP client transport for Streamable HTTP, a cheaper stand-in for the SDK's
 * `StreamableHTTPClientTransport` (what `createClientTransport({ url })` returns). It sends each
 * message as one POST on a keep-alive connection and reads JSON answers and SSE answers (with
 * the progress, log notifications and server-to-client requests that arrive on them); keeps
 * `Mcp-Session-Id` and sends `MCP-Protocol-Version`; after `notifications/initialized` opens
 * the standalone GET stream for server-initiated messages (none if the server answers 405;
 * re-opened a few times if it drops); ends the session with `DELETE` on `close()`. Failures
 * reject `send()` with a clear error (`StreamableHTTPError` for HTTP statuses); a request
 * whose SSE answer ends without its response fails with a connection-closed JSON-RPC error
 * instead of waiting for its timeout. No OAuth flow and no redirects (use `headers` for a
 * token).
 *
 * @example
 * const client = new Client({ name: "gateway", version: "1.0.0" });
 * await client.connect(new HttpClientTransport("http://127.0.0.1:3000/mcp", {
 *   headers: { authorization: "Bearer t0k3n" },
 * }));
 */
export class HttpClientTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  readonly #url: URL;
  readonly #request: typeof httpRequest;
  readonly #agent: HttpAgent;
  readonly #path: string;
  readonly #headers: [string, string][];
  readonly #closeTimeoutMs: number;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  /** The request head without `Content-Length`, rebuilt when the session or version changes. */
  #head: Head | undefined;
  #started = false;
  #closed = false;
  readonly #live = new Set<{ destroy(err?: Error): void }>();
  #getRetry = 0;
  #getTimer: NodeJS.Timeout | undefined;

  constructor(url: string | URL, options: HttpClientTransportOptions = {}) {
    this.#url = new URL(String(url));
    const https = this.#url.protocol === "https:";
    if (!https && this.#url.protocol !== "http:") {
      throw new Error(
        `@mcpforge/core: HttpClientTransport: ${this.#url.href} is not an http(s) URL`,
      );
    }
    this.#request = https ? httpsRequest : httpRequest;
    this.#agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.#path = `${this.#url.pathname}${this.#url.search}`;
    const own = new Set(["host", "content-type", "accept", "content-length", "connection"]);
    this.#headers = Object.entries(options.headers ?? {}).filter(
      ([k]) => !own.has(k.toLowerCase()),
    );
    this.#sessionId = options.sessionId;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 2000;
  }

  /** The session id the server assigned (`Mcp-Session-Id`), once it has. */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** The negotiated protocol version, sent as `MCP-Protocol-Version` from now on. */
  setProtocolVersion(version: string): void {
    this.#protocolVersion = version;
    this.#head = undefined;
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error("HttpClientTransport already started");
    this.#started = true;
  }

  #headFor(accept: string, withBody: boolean): Head {
    const head: Head = ["Host", this.#url.host];
    if (withBody) head.push("Content-Type", "application/json");
    head.push("Accept", accept);
    for (const [k, v] of this.#headers) head.push(k, v);
    if (this.#sessionId !== undefined) head.push("Mcp-Session-Id", this.#sessionId);
    if (this.#protocolVersion !== undefined)
      head.push("MCP-Protocol-Version", this.#protocolVersion);
    return head;
  }

  #setSession(res: IncomingMessage): void {
    const id = res.headers["mcp-session-id"];
    if (typeof id === "string" && id !== this.#sessionId) {
      this.#sessionId = id;
      this.#head = undefined;
    }
  }

  /** Sends one request; resolves with its answer (headers read, body still to come). */
  #exchange(method: string, head: Head, body?: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.#request({
        host: this.#url.hostname,
        port: this.#url.port,
        method,
        path: this.#path,
        headers: head,
        agent: this.#agent,
        setHost: false,
      });
      this.#live.add(req);
      req.once("socket", (socket) => socket.setNoDelay(true));
      req.once("error", (err) => {
        this.#live.delete(req);
        reject(
          this.#closed
            ? new Error("the transport was closed")
            : new Error(`${method} ${this.#url.href} failed: ${err.message}`, { cause: err }),
        );
      });
      req.once("response", (res) => {
        this.#live.delete(req);
        this.#setSession(res);
        resolve(res);
      });
      if (body === undefined) req.end();
      else req.end(body);
    });
  }

  async #failed(res: IncomingMessage, what: string): Promise<never> {
    const text = await readAll(res).catch(() => "");
    const status = res.statusCode ?? 0;
    const why = STATUS_TEXT[status] ?? res.statusMessage ?? "";
    throw new StreamableHTTPError(
      status,
      `${what} ${this.#url.href}: HTTP ${status} ${why}${text ? `: ${text.slice(0, 500)}` : ""}`,
    );
  }

  #deliver(value: unknown): void {
    for (const m of Array.isArray(value) ? value : [value]) {
      let message: JSONRPCMessage;
      try {
        message = toMessage(m);
      } catch (err) {
        this.onerror?.(new Error("the server sent an invalid JSON-RPC message", { cause: err }));
        continue;
      }
      this.onmessage?.(message);
    }
  }

  async send(message: JSONRPCMessage | JSONRPCMessage[]): Promise<void> {
    if (this.#closed) throw new Error("HttpClientTransport is closed");
    const body = JSON.stringify(message);
    this.#head ??= this.#headFor("application/json, text/event-stream", true);
    const head = [...this.#head, "Content-Length", String(Buffer.byteLength(body))];
    const res = await this.#exchange("POST", head, body);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) return this.#failed(res, "POST");
    const ids = requestIds(message);
    const type = res.headers["content-type"] ?? "";
    if (status === 202 || ids.length === 0) {
      res.resume();
      if (isInitialized(message)) this.#openGet();
      return;
    }
    if (type.includes("text/event-stream")) {
      this.#stream(res, new Set(ids));
      return;
    }
    if (!type.includes("application/json")) {
      res.resume();
      throw new StreamableHTTPError(-1, `POST ${this.#url.href}: unexpected content type ${type}`);
    }
    const text = await readAll(res);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`POST ${this.#url.href}: the answer is not JSON`, { cause: err });
    }
    this.#deliver(value);
  }

  /**
   * Reads an SSE answer; `pending` are the request ids it must answer (none for the GET
   * stream). If it ends first, they fail with a connection-closed error.
   */
  #stream(
    res: IncomingMessage,
    pending: Set<string | number> | undefined,
    onEnd?: () => void,
  ): void {
    this.#live.add(res);
    res.setEncoding("utf8");
    const reader = new SseReader((event) => {
      if (event.event !== "" && event.event !== "message") return;
      let value: unknown;
      try {
        value = JSON.parse(event.data);
      } catch (err) {
        this.onerror?.(new Error("the server sent an event that is not JSON", { cause: err }));
        return;
      }
      if (pending) {
        for (const m of Array.isArray(value) ? value : [value]) {
          const r = m as { id?: string | number; method?: unknown };
          if (r.method === undefined && r.id !== undefined) pending.delete(r.id);
        }
      }
      this.#deliver(value);
    });
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      this.#live.delete(res);
      if (this.#closed) return;
      if (err) this.onerror?.(err);
      for (const id of pending ?? []) {
        this.onmessage?.({
          jsonrpc: "2.0",
          id,
          error: {
            code: ErrorCode.ConnectionClosed,
            message: `The event stream from ${this.#url.href} ended before the response`,
          },
        });
      }
      onEnd?.();
    };
    res.on("data", (chunk: string) => reader.push(chunk));
    res.once("end", () => finish());
    res.once("error", (err) => finish(new Error(`SSE stream disconnected: ${err.message}`)));
    res.once("aborted", () => finish(new Error("SSE stream disconnected")));
    res.once("close", () => finish());
  }

  /** Opens the standalone GET stream for server-initiated messages (if the server has one). */
  #openGet(): void {
    if (this.#closed) return;
    this.#exchange("GET", this.#headFor("text/event-stream", false))
      .then(async (res) => {
        const status = res.statusCode ?? 0;
        if (status === 405) {
          res.resume();
          return;
        }
        if (status < 200 || status >= 300) return this.#failed(res, "GET");
        if (!(res.headers["content-type"] ?? "").includes("text/event-stream")) {
          res.resume();
          throw new StreamableHTTPError(-1, `GET ${this.#url.href}: not an event stream`);
        }
        this.#getRetry = 0;
        this.#stream(res, undefined, () => this.#reopenGet());
      })
      .catch((err: unknown) => {
        if (this.#closed) return;
        this.onerror?.(err as Error);
        if (!(err instanceof StreamableHTTPError)) this.#reopenGet();
      });
  }

  #reopenGet(): void {
    if (this.#closed) return;
    const delay = GET_RETRY_MS[this.#getRetry++];
    if (delay === undefined) {
      this.onerror?.(new Error(`GET ${this.#url.href}: the event stream was given up`));
      return;
    }
    this.#getTimer = setTimeout(() => this.#openGet(), delay);
    this.#getTimer.unref?.();
  }

  /**
   * Ends the session at the server (`DELETE`; a 405 means the server does not allow it) and
   * forgets the session id.
   *
   * @example
   * await transport.terminateSession();
   */
  async terminateSession(): Promise<void> {
    if (this.#sessionId === undefined) return;
    const res = await this.#exchange("DELETE", this.#headFor("application/json", false));
    const status = res.statusCode ?? 0;
    if ((status < 200 || status >= 300) && status !== 405) return this.#failed(res, "DELETE");
    res.resume();
    this.#sessionId = undefined;
    this.#head = undefined;
  }

  /** Ends the session (`DELETE`, waiting at most `closeTimeoutMs`), drops the connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#getTimer) clearTimeout(this.#getTimer);
    const drop = () => {
      for (const r of this.#live) r.destroy();
      this.#live.clear();
    };
    drop();
    if (this.#sessionId !== undefined && this.#started) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.terminateSession().catch(() => {}),
        new Promise((resolve) => {
          timer = setTimeout(resolve, this.#closeTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      drop();
    }
    this.#agent.destroy();
    this.onclose?.();
  }
}
