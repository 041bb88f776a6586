/**
 * A small HTTP/1.1 client on plain `net`/`tls` sockets for {@link HttpClientTransport}: a pool of
 * keep-alive connections, one request in flight per connection, the request head and body in
 * one write, and answers parsed by hand (status line, headers, `Content-Length`, chunked or
 * until-close bodies). `node:http`'s client costs about as much CPU per request as a whole
 * MCP Forge server call: this costs a fraction of it.
 */
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

/** How long a pooled connection may sit idle before it is not reused (servers close them). */
const IDLE_MS = 4000;
/**
 * Where plain TCP connections' reads land (`onread`): one buffer for all of them, since each
 * read is parsed before the next one can arrive; what must wait is copied out.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const CRLF2 = Buffer.from("\r\n\r\n");
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Checks a header name and value (no CR/LF: nothing can be smuggled into a request head).
 *
 * @example
 * checkHeader("authorization", "Bearer x"); // ok
 * checkHeader("x", "a\r\nb: c"); // throws
 */
export function checkHeader(name: string, value: string): void {
  if (!TOKEN.test(name)) throw new Error(`invalid HTTP header name ${JSON.stringify(name)}`);
  if (!VALUE.test(value)) throw new Error(`invalid value for HTTP header ${name}`);
}

/**
 * The status code of an answer's status line `HTTP/1.0|1 NNN[ reason]` (`head` up to `eol`),
 * or -1 when it is not one.
 */
function statusOf(head: string, eol: number): number {
  if (eol < 12 || !head.startsWith("HTTP/1.") || head.charCodeAt(8) !== 32) return -1;
  const minor = head.charCodeAt(7);
  if (minor !== 48 && minor !== 49) return -1;
  let status = 0;
  for (let i = 9; i < 12; i++) {
    const d = head.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    status = status * 10 + d;
  }
  if (eol > 12 && head.charCodeAt(12) !== 32) return -1;
  return status;
}

/**
 * An answer: status and headers (names lower-cased) when the head has arrived; its body is
 * read whole with {@link Http1Answer.text}, streamed with {@link Http1Answer.read}, or
 * skipped with {@link Http1Answer.discard}.
 *
 * @example
 * const pool = new Http1Pool({ https: false, hostname: "127.0.0.1", port: 3000 });
 * const answer = await pool.request("GET", "GET /events HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n\r\n");
 * if (answer.status === 200) {
 *   answer.read((chunk: Buffer) => console.log(chunk.toString()), (err?: Error) => console.log("end", err));
 * }
 */
export class Http1Answer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Record<string, string>;
  #chunks: Buffer[] = [];
  #ended = false;
  #error: Error | undefined;
  #onData: ((chunk: Buffer) => void) | undefined;
  #onEnd: ((err?: Error) => void) | undefined;
  readonly #close: () => void;

  constructor(
    status: number,
    statusText: string,
    headers: Record<string, string>,
    close: () => void,
  ) {
    this.status = status;
    this.statusText = statusText;
    this.headers = headers;
    this.#close = close;
  }

  /**
   * @internal a body chunk from the connection: a view of its read buffer, valid during the
   * call only (kept chunks are copied)
   */
  data(chunk: Buffer): void {
    if (this.#onData) this.#onData(chunk);
    else this.#chunks.push(Buffer.from(chunk));
  }

  /** @internal the body ended (with an error if the connection failed first) */
  end(err?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = err;
    this.#onEnd?.(err);
  }

  /**
   * Streams the body: chunks as they come, then `onEnd` (with an error if it was cut off). A
   * chunk is valid during the `onData` call only (its bytes are reused for the next read):
   * copy what is kept.
   */
  read(onData: (chunk: Buffer) => void, onEnd: (err?: Error) => void): void {
    for (const c of this.#chunks) onData(c);
    this.#chunks = [];
    this.#onData = onData;
    this.#onEnd = onEnd;
    if (this.#ended) onEnd(this.#error);
  }

  /** The whole body as UTF-8 text. */
  text(): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks = this.#chunks;
      this.#chunks = [];
      this.read(
        (c) => chunks.push(Buffer.from(c)),
        (err) => {
          if (err) reject(err);
          else
            resolve(
              (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString(
                "utf8",
              ),
            );
        },
      );
    });
  }

  /** Drops the body (the connection is reused if the body ends on its own). */
  discard(): void {
    this.read(
      () => {},
      () => {},
    );
  }

  /** Closes the connection (for a stream that is no longer wanted). */
  destroy(): void {
    this.#close();
    this.end();
  }
}

type BodyMode = "none" | "length" | "chunked" | "close";

/** One keep-alive connection and its answer parser. */
class Connection {
  readonly socket: Socket;
  idleSince = 0;
  reusable = true;
  #buf: Buffer | undefined;
  #state: "idle" | "head" | "body" = "idle";
  #mode: BodyMode = "none";
  #remaining = 0;
  /** In a chunked body: reading a size line (true) or chunk data (false). */
  #atSize = true;
  #method = "GET";
  #answer: Http1Answer | undefined;
  #resolve: ((a: Http1Answer) => void) | undefined;
  #reject: ((err: Error) => void) | undefined;
  readonly #done: (c: Connection) => void;

  /** `readsHere`: the socket's reads are handed to {@link Connection.data} by its `onread`. */
  constructor(socket: Socket, done: (c: Connection) => void, readsHere: boolean) {
    this.socket = socket;
    this.#done = done;
    socket.setNoDelay(true);
    if (!readsHere) socket.on("data", (chunk: Buffer) => this.data(chunk));
    socket.on("error", (err) => this.#fail(err));
    socket.on("close", () => this.#fail(new Error("socket hang up")));
  }

  send(method: string, bytes: string): Promise<Http1Answer> {
    this.#method = method;
    this.#state = "head";
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      this.socket.write(bytes, "utf8");
    });
  }

  get busy(): boolean {
    return this.#state !== "idle";
  }

  #fail(err: Error): void {
    this.reusable = false;
    if (this.#state === "head") {
      this.#state = "idle";
      const reject = this.#reject;
      this.#resolve = this.#reject = undefined;
      reject?.(err);
    } else if (this.#state === "body") {
      this.#state = "idle";
      const answer = this.#answer;
      this.#answer = undefined;
      answer?.end(this.#mode === "close" ? undefined : err);
    }
    this.socket.destroy();
    this.#done(this);
  }

  /** Bytes from the socket: a view of a read buffer that is reused after this call. */
  data(chunk: Buffer): void {
    let buf = this.#buf ? Buffer.concat([this.#buf, chunk]) : chunk;
    this.#buf = undefined;
    while (buf.length > 0) {
      if (this.#state === "head") {
        const end = buf.indexOf(CRLF2);
        if (end < 0) break;
        const head = buf.toString("latin1", 0, end);
        buf = buf.subarray(end + 4);
        if (!this.#head(head)) {
          if (this.#state !== "head") return; // failed
        }
      } else if (this.#state === "body") {
        buf = this.#body(buf);
        if (buf.length > 0 && this.#state === "body" && this.#mode === "chunked") break;
      } else {
        // bytes nobody asked for: the connection is out of step
        this.#fail(new Error("unexpected data from the server"));
        return;
      }
    }
    // what waits for more is copied: the read buffer is reused
    if (buf.length > 0 && this.#state !== "idle") this.#buf = Buffer.from(buf);
  }

  /** Parses a head; false for a 1xx answer (another head follows). */
  #head(head: string): boolean {
    // the status line, "HTTP/1.x NNN reason", read by hand (no split, no regular expression)
    let eol = head.indexOf("\r\n");
    if (eol < 0) eol = head.length;
    const status = statusOf(head, eol);
    if (status < 0) {
      this.#fail(
        new Error(`not an HTTP/1.1 answer: ${JSON.stringify(head.slice(0, Math.min(eol, 80)))}`),
      );
      return false;
    }
    if (status >= 100 && status < 200) return false;
    const headers: Record<string, string> = {};
    for (let at = eol + 2; at < head.length; ) {
      let next = head.indexOf("\r\n", at);
      if (next < 0) next = head.length;
      const colon = head.indexOf(":", at);
      if (colon > at && colon < next) {
        const name = head.slice(at, colon).trim().toLowerCase();
        const value = head.slice(colon + 1, next).trim();
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
      }
      at = next + 2;
    }
    const connection = (headers.connection ?? "").toLowerCase();
    if (
      head.charCodeAt(7) === 48 /* HTTP/1.0 */
        ? !connection.includes("keep-alive")
        : connection.includes("close")
    ) {
      this.reusable = false;
    }
    const te = (headers["transfer-encoding"] ?? "").toLowerCase();
    if (this.#method === "HEAD" || status === 204 || status === 304) this.#mode = "none";
    else if (te.includes("chunked")) {
      this.#mode = "chunked";
      this.#remaining = 0;
    } else if (headers["content-length"] !== undefined) {
      this.#mode = "length";
      this.#remaining = Number(headers["content-length"]);
      if (!Number.isSafeInteger(this.#remaining) || this.#remaining < 0) {
        this.#fail(new Error("invalid Content-Length from the server"));
        return false;
      }
    } else {
      this.#mode = "close";
      this.reusable = false;
    }
    this.#atSize = true;
    const answer = new Http1Answer(status, eol > 13 ? head.slice(13, eol) : "", headers, () => {
      this.reusable = false;
      this.socket.destroy();
    });
    this.#answer = answer;
    this.#state = "body";
    const resolve = this.#resolve;
    this.#resolve = this.#reject = undefined;
    resolve?.(answer);
    if (this.#mode === "none" || (this.#mode === "length" && this.#remaining === 0)) this.#finish();
    return true;
  }

  /** Consumes body bytes; returns what is left (a partial chunk-size line waits for more). */
  #body(buf: Buffer): Buffer {
    const answer = this.#answer as Http1Answer;
    if (this.#mode === "close") {
      answer.data(buf);
      return buf.subarray(buf.length);
    }
    if (this.#mode === "length") {
      const n = Math.min(this.#remaining, buf.length);
      answer.data(buf.subarray(0, n));
      this.#remaining -= n;
      if (this.#remaining === 0) this.#finish();
      return buf.subarray(n);
    }
    // chunked
    while (buf.length > 0 && this.#state === "body") {
      if (this.#atSize) {
        const nl = buf.indexOf("\r\n");
        if (nl < 0) return buf;
        const line = buf.toString("latin1", 0, nl);
        buf = buf.subarray(nl + 2);
        if (this.#remaining === -1) {
          // the CRLF after a chunk's data, or a trailer line, or the last empty line
          if (line === "" && this.#trailer) {
            this.#finish();
            return buf;
          }
          if (line === "") this.#remaining = 0;
          continue;
        }
        const size = Number.parseInt(line.split(";")[0] as string, 16);
        if (!Number.isFinite(size) || size < 0) {
          this.#fail(new Error("invalid chunk size from the server"));
          return buf.subarray(buf.length);
        }
        if (size === 0) {
          this.#trailer = true;
          this.#remaining = -1;
          continue;
        }
        this.#remaining = size;
        this.#atSize = false;
      } else {
        const n = Math.min(this.#remaining, buf.length);
        answer.data(buf.subarray(0, n));
        buf = buf.subarray(n);
        this.#remaining -= n;
        if (this.#remaining === 0) {
          this.#atSize = true;
          this.#remaining = -1;
        }
      }
    }
    return buf;
  }

  #trailer = false;

  #finish(): void {
    const answer = this.#answer;
    this.#answer = undefined;
    this.#state = "idle";
    this.#trailer = false;
    this.#remaining = 0;
    this.#buf = undefined;
    this.idleSince = performance.now();
    this.#done(this);
    answer?.end();
  }
}

/** Where the pool connects. */
export interface Http1Target {
  https: boolean;
  hostname: string;
  port: number;
}

/**
 * Keep-alive connections to one origin.
 *
 * @example
 * const pool = new Http1Pool({ https: false, hostname: "127.0.0.1", port: 3000 });
 * const answer = await pool.request("POST", "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nContent-Length: 2\r\n\r\n{}");
 * const text = await answer.text();
 */
export class Http1Pool {
  readonly #target: Http1Target;
  readonly #free: Connection[] = [];
  readonly #all = new Set<Connection>();
  #closed = false;

  constructor(target: Http1Target) {
    this.#target = target;
  }

  /** Sends a whole request (head and body in `bytes`) and resolves with the answer's head. */
  request(method: string, bytes: string): Promise<Http1Answer> {
    if (this.#closed) return Promise.reject(new Error("the connection pool is closed"));
    return this.#connection().send(method, bytes);
  }

  #connection(): Connection {
    const now = performance.now();
    for (;;) {
      const c = this.#free.pop();
      if (!c) break;
      if (c.reusable && !c.socket.destroyed && now - c.idleSince < IDLE_MS) return c;
      c.socket.destroy();
      this.#all.delete(c);
    }
    const { https, hostname, port } = this.#target;
    const release = (done: Connection) => this.#release(done);
    let c: Connection;
    if (https) {
      const socket = tlsConnect({
        host: hostname,
        port,
        servername: hostname,
        ALPNProtocols: ["http/1.1"],
      });
      c = new Connection(socket, release, false);
    } else {
      // reads land in one shared buffer, handed over at once: no chunk allocated per read
      const onread = {
        buffer: READ_BUFFER,
        callback: (n: number, buf: Uint8Array): boolean => {
          c.data((buf as Buffer).subarray(0, n));
          return true; // keep reading
        },
      };
      c = new Connection(netConnect({ host: hostname, port, onread }), release, true);
    }
    this.#all.add(c);
    return c;
  }

  #release(c: Connection): void {
    if (c.busy) return;
    if (this.#closed || !c.reusable || c.socket.destroyed) {
      c.socket.destroy();
      this.#all.delete(c);
      const i = this.#free.indexOf(c);
      if (i >= 0) this.#free.splice(i, 1);
      return;
    }
    if (!this.#free.includes(c)) this.#free.push(c);
  }

  /** Closes every connection (answers still streaming end). */
  close(): void {
    this.#closed = true;
    for (const c of this.#all) c.socket.destroy();
    this.#all.clear();
    this.#free.length = 0;
  }
}
