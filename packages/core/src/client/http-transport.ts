/**
 * A lean Streamable HTTP client transport on its own keep-alive HTTP/1.1 connections
 * (http1.ts): one request head built from plain strings, one write per request, no
 * `node:http` client objects, no WHATWG `Headers`/`Response`/streams, and messages checked by
 * shape (see messages.ts).
 */
import { StringDecoder } from "node:string_decoder";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { checkHeader, type Http1Answer, Http1Pool } from "./http1.js";
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
  readonly #pool: Http1Pool;
  readonly #path: string;
  readonly #headers: string;
  readonly #closeTimeoutMs: number;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  /** The POST head without `Content-Length`, rebuilt when the session or version changes. */
  #head: string | undefined;
  #started = false;
  #closed = false;
  readonly #live = new Set<Http1Answer>();
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
    const hostname = this.#url.hostname.replace(/^\[(.*)\]$/, "$1");
    const port = Number(this.#url.port) || (https ? 443 : 80);
    this.#pool = new Http1Pool({ https, hostname, port });
    this.#path = `${this.#url.pathname}${this.#url.search}`;
    const own = new Set(["host", "content-type", "accept", "content-length", "connection"]);
    let headers = "";
    for (const [k, v] of Object.entries(options.headers ?? {})) {
      checkHeader(k, v);
      if (!own.has(k.toLowerCase())) headers += `${k}: ${v}\r\n`;
    }
    this.#headers = headers;
    if (options.sessionId !== undefined) checkHeader("Mcp-Session-Id", options.sessionId);
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

  /** A request head up to (not including) `Content-Length` and the blank line. */
  #headFor(method: string, accept: string, withBody: boolean): string {
    let head = `${method} ${this.#path} HTTP/1.1\r\nHost: ${this.#url.host}\r\n`;
    if (withBody) head += "Content-Type: application/json\r\n";
    head += `Accept: ${accept}\r\n${this.#headers}`;
    if (this.#sessionId !== undefined) head += `Mcp-Session-Id: ${this.#sessionId}\r\n`;
    if (this.#protocolVersion !== undefined) {
      head += `MCP-Protocol-Version: ${this.#protocolVersion}\r\n`;
    }
    return head;
  }

  /** Sends one request; resolves with its answer (head read, body still to come). */
  async #exchange(method: string, head: string, body?: string): Promise<Http1Answer> {
    const bytes =
      body === undefined
        ? `${head}\r\n`
        : `${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    let answer: Http1Answer;
    try {
      answer = await this.#pool.request(method, bytes);
    } catch (err) {
      throw this.#closed
        ? new Error("the transport was closed")
        : new Error(`${method} ${this.#url.href} failed: ${(err as Error).message}`, {
            cause: err,
          });
    }
    const id = answer.headers["mcp-session-id"];
    if (id !== undefined && id !== this.#sessionId) {
      checkHeader("Mcp-Session-Id", id);
      this.#sessionId = id;
      this.#head = undefined;
    }
    return answer;
  }

  async #failed(res: Http1Answer, what: string): Promise<never> {
    const text = await res.text().catch(() => "");
    const why = STATUS_TEXT[res.status] ?? res.statusText;
    throw new StreamableHTTPError(
      res.status,
      `${what} ${this.#url.href}: HTTP ${res.status} ${why}${text ? `: ${text.slice(0, 500)}` : ""}`,
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
    this.#head ??= this.#headFor("POST", "application/json, text/event-stream", true);
    const res = await this.#exchange("POST", this.#head, body);
    const status = res.status;
    if (status < 200 || status >= 300) return this.#failed(res, "POST");
    const ids = requestIds(message);
    const type = res.headers["content-type"] ?? "";
    if (status === 202 || ids.length === 0) {
      res.discard();
      if (isInitialized(message)) this.#openGet();
      return;
    }
    if (type.includes("text/event-stream")) {
      this.#stream(res, new Set(ids));
      return;
    }
    if (!type.includes("application/json")) {
      res.discard();
      throw new StreamableHTTPError(-1, `POST ${this.#url.href}: unexpected content type ${type}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new Error(`POST ${this.#url.href}: the answer was cut off: ${(err as Error).message}`, {
        cause: err,
      });
    }
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
  #stream(res: Http1Answer, pending: Set<string | number> | undefined, onEnd?: () => void): void {
    this.#live.add(res);
    const decoder = new StringDecoder("utf8");
    const reader = new SseReader((event) => {
      if (event.event !== "" && event.event !== "message") return;
      let value: unknown;
      try {
        value = JSON.parse(event.data);
      } catch (err) {
        this.onerror?.(new Error("the server sent an event that is not JSON", { cause: err }));
        return;
      }
      let answers = false;
      for (const m of Array.isArray(value) ? value : [value]) {
        const r = m as { id?: string | number; method?: unknown };
        if (r.method === undefined) {
          answers = true;
          if (r.id !== undefined) pending?.delete(r.id);
        }
      }
      // The SDK runs notification handlers a microtask after delivery, but settles a response
      // at once (dropping its progress handler): after a notification, a response waits a turn.
      if (answers && notified) setImmediate(() => this.#deliver(value));
      else {
        notified ||= !answers;
        this.#deliver(value);
      }
    });
    let notified = false;
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
    res.read(
      (chunk) => reader.push(decoder.write(chunk)),
      (err) => finish(err ? new Error(`SSE stream disconnected: ${err.message}`) : undefined),
    );
  }

  /** Opens the standalone GET stream for server-initiated messages (if the server has one). */
  #openGet(): void {
    if (this.#closed) return;
    this.#exchange("GET", this.#headFor("GET", "text/event-stream", false))
      .then(async (res) => {
        const status = res.status;
        if (status === 405) {
          res.discard();
          return;
        }
        if (status < 200 || status >= 300) return this.#failed(res, "GET");
        if (!(res.headers["content-type"] ?? "").includes("text/event-stream")) {
          res.discard();
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
   * const transport = new HttpClientTransport("http://127.0.0.1:3000/mcp");
   * await new Client({ name: "probe", version: "1.0.0" }).connect(transport);
   * await transport.terminateSession();
   */
  async terminateSession(): Promise<void> {
    if (this.#sessionId === undefined) return;
    const res = await this.#exchange("DELETE", this.#headFor("DELETE", "application/json", false));
    const status = res.status;
    if ((status < 200 || status >= 300) && status !== 405) return this.#failed(res, "DELETE");
    res.discard();
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
    this.#pool.close();
    this.onclose?.();
  }
}
