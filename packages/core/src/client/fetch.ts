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
      const meta = { status, statusText: res.statusMessage ?? "", headers: responseHeaders(res) };
      const noBody = status === 204 || status === 205 || status === 304 || init?.method === "HEAD";
      if ((res.headers["content-type"] ?? "").includes("text/event-stream") && !noBody) {
        res.once("close", release);
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
        resolve(new Response(noBody || !body || body.length === 0 ? null : body, meta));
      });
    });
    if (body === undefined) req.end();
    else req.end(body);
  });
