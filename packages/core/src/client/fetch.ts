/**
 * A `fetch` for the SDK's Streamable HTTP client transport, on `node:http` with keep-alive
 * connections. Node's own `fetch` costs several times more per request (WHATWG streams for
 * every body), and it leaves an abort listener per request on the one signal the transport
 * shares between all its requests until garbage collection (under load thousands pile up,
 * each new one costs more, and Node warns of a leak).
 */
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";

/** A `fetch` as the SDK's Streamable HTTP client transport calls it. */
export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/**
 * The requests in flight per signal, with one abort listener per signal (the SDK transport
 * passes the same signal to every request: a listener each would pile up on it).
 */
const inFlight = new WeakMap<AbortSignal, Set<ClientRequest>>();

function track(signal: AbortSignal, req: ClientRequest): () => void {
  let set = inFlight.get(signal);
  if (!set) {
    const requests = new Set<ClientRequest>();
    set = requests;
    inFlight.set(signal, requests);
    signal.addEventListener(
      "abort",
      () => {
        for (const r of requests) r.destroy(signal.reason ?? new Error("aborted"));
        requests.clear();
      },
      { once: true },
    );
  }
  set.add(req);
  const requests = set;
  return () => requests.delete(req);
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const h = init?.headers;
  if (!h) return out;
  if (h instanceof Headers) {
    h.forEach((value, key) => {
      out[key] = value;
    });
  } else if (Array.isArray(h)) {
    for (const [key, value] of h) if (key !== undefined && value !== undefined) out[key] = value;
  } else {
    Object.assign(out, h);
  }
  return out;
}

function responseHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2)
    headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

/**
 * The headers of a buffered answer, read from `IncomingMessage.headers` (already lower-cased)
 * without building a WHATWG `Headers` (its per-header validation costs more than the rest of
 * a small answer). Read-only: what a client reads of an answer.
 */
class AnswerHeaders {
  readonly #h: IncomingMessage["headers"];
  constructor(headers: IncomingMessage["headers"]) {
    this.#h = headers;
  }
  get(name: string): string | null {
    const v = this.#h[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(", ") : v;
  }
  has(name: string): boolean {
    return this.#h[name.toLowerCase()] !== undefined;
  }
  forEach(fn: (value: string, key: string) => void): void {
    for (const key of Object.keys(this.#h)) {
      const value = this.get(key);
      if (value !== null) fn(value, key);
    }
  }
  *entries(): IterableIterator<[string, string]> {
    for (const key of Object.keys(this.#h).sort()) {
      const value = this.get(key);
      if (value !== null) yield [key, value];
    }
  }
  keys(): IterableIterator<string> {
    return Object.keys(this.#h).sort()[Symbol.iterator]();
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * A `Response` whose body was read whole (a JSON answer, a 202, an error): the members a
 * client reads, without the WHATWG stream machinery `new Response()` sets up for every body.
 * `body` is made on first access only.
 */
class BufferedAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: AnswerHeaders;
  readonly url: string;
  readonly redirected = false;
  readonly type = "basic";
  #bytes: Buffer | undefined;
  #used = false;
  constructor(res: IncomingMessage, url: string, bytes: Buffer | undefined) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? "";
    this.headers = new AnswerHeaders(res.headers);
    this.url = url;
    this.#bytes = bytes;
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get bodyUsed(): boolean {
    return this.#used;
  }
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#bytes === undefined) return null;
    const bytes = this.#take();
    return new ReadableStream<Uint8Array>({
      start(controller) {
        if (bytes.length > 0) controller.enqueue(new Uint8Array(bytes));
        controller.close();
      },
    });
  }
  #take(): Buffer {
    if (this.#used) throw new TypeError("Body is unusable: Body has already been read");
    this.#used = true;
    return this.#bytes ?? Buffer.alloc(0);
  }
  async text(): Promise<string> {
    return this.#take().toString("utf8");
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.#take().toString("utf8"));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.#take();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
}

function bodyOf(init: RequestInit | undefined): string | Uint8Array | undefined {
  const body = init?.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  throw new TypeError("httpFetch() sends string or byte bodies only");
}

/**
 * `fetch` on `node:http`/`node:https` with keep-alive agents, for the SDK's Streamable HTTP
 * client transport (string bodies; redirects are not followed, as with `redirect: "manual"`).
 * A JSON answer is read whole; an event stream stays a stream. The request's `signal` aborts
 * it until its answer has been read (or its stream has ended) and is then let go.
 *
 * @example
 * const url = new URL("http://127.0.0.1:3000/mcp");
 * const transport = new StreamableHTTPClientTransport(url, { fetch: httpFetch });
 */
export const httpFetch: FetchLike = (input, init) =>
  new Promise<Response>((resolve, reject) => {
    const url = typeof input === "string" ? new URL(input) : input;
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const https = url.protocol === "https:";
    const body = bodyOf(init);
    const headers = headersOf(init);
    // a known length: one write, no chunked encoding for the server to undo
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: init?.method ?? "GET",
      headers,
      agent: https ? httpsAgent : httpAgent,
    });
    const release = signal ? track(signal, req) : () => false;
    req.once("error", (err) => {
      release();
      reject(err);
    });
    req.once("response", (res) => {
      const status = res.statusCode ?? 0;
      const noBody = status === 204 || status === 205 || status === 304 || init?.method === "HEAD";
      if ((res.headers["content-type"] ?? "").includes("text/event-stream") && !noBody) {
        res.once("close", release);
        const meta = { status, statusText: res.statusMessage ?? "", headers: responseHeaders(res) };
        resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, meta));
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.once("error", (err) => {
        release();
        reject(err);
      });
      res.once("end", () => {
        release();
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        const bytes = noBody || !body || body.length === 0 ? undefined : body;
        resolve(new BufferedAnswer(res, url.href, bytes) as unknown as Response);
      });
    });
    if (body === undefined) req.end();
    else req.end(body);
  });
