/**
 * Load generation: autocannon (HTTP/1.1 keep-alive, one request in flight per connection)
 * for the tools/call figures, and an undici loop for full sessions.
 */
import autocannon from "autocannon";
import { McpHttp, POST_HEADERS } from "./mcp-http.js";

/** One measured load run. */
export interface LoadRun {
  /** 2xx responses per second. */
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Latencies of the 2xx responses in ms (autocannon's own histogram is 1 ms coarse). */
  latencies: Float64Array;
}

const ECHO_HEAD = '{"jsonrpc":"2.0","id":';
const ECHO_TAIL = ',"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}';
let nextRequestId = 1;

/**
 * A tools/call echo body with a fresh JSON-RPC id: ids must be unique per request, or
 * concurrent calls in one session would collide. (autocannon's own `idReplacement` is not
 * used: it sets a Content-Length that does not match its ids, and the server waits forever.)
 */
export function echoBody(): string {
  return `${ECHO_HEAD}${nextRequestId++}${ECHO_TAIL}`;
}

/**
 * A generator of `tools/call` bodies for `name`, each with a fresh JSON-RPC id; with `unique`,
 * every body also has arguments no other body had (`{ text: "<prefix>-<n>" }`), otherwise they
 * all carry `{ text }`.
 *
 * @example
 * const same = toolCallBodies("slow_echo", "hello");            // every call identical
 * const fresh = toolCallBodies("slow_echo", "miss", { unique: true }); // never the same twice
 */
export function toolCallBodies(
  name: string,
  text: string,
  options: { unique?: boolean } = {},
): () => string {
  const head = '{"jsonrpc":"2.0","id":';
  const mid = `,"method":"tools/call","params":{"name":${JSON.stringify(name)},"arguments":{"text":`;
  const fixed = `${mid}${JSON.stringify(text)}}}}`;
  let n = 0;
  return options.unique
    ? () => `${head}${nextRequestId++}${mid}${JSON.stringify(`${text}-${n++}`)}}}}`
    : () => `${head}${nextRequestId++}${fixed}`;
}

/**
 * Runs autocannon against an MCP endpoint. With `sessions`, connection i sends
 * `Mcp-Session-Id: sessions[i % sessions.length]` (one session per connection); `headers` go
 * with every request (e.g. an API key); `body` makes each request's body (default: `echoBody`);
 * `rate` caps the requests per second over all connections (default: as fast as answered).
 *
 * @example
 * const run = await loadTest({ url, connections: 16, seconds: 3 });
 */
export function loadTest(options: {
  url: string;
  connections: number;
  seconds: number;
  sessions?: readonly string[];
  headers?: Readonly<Record<string, string>>;
  body?: () => string;
  rate?: number;
}): Promise<LoadRun> {
  const { url, connections, seconds, sessions } = options;
  const makeBody = options.body ?? echoBody;
  const headers: Record<string, string> = { ...POST_HEADERS, ...options.headers };
  let next = 0;
  let latencies = new Float64Array(1 << 16);
  let ok = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: "POST",
        connections,
        pipelining: 1,
        duration: seconds,
        headers,
        body: makeBody(),
        requests: [
          {
            setupRequest: (req: autocannon.Request) => {
              req.body = makeBody();
              return req;
            },
          },
        ],
        timeout: 10,
        ...(options.rate ? { overallRate: options.rate } : {}),
        ...(sessions && sessions.length > 0
          ? {
              setupClient: (client: autocannon.Client) => {
                const sid = sessions[next++ % sessions.length] as string;
                client.setHeaders({ ...headers, "mcp-session-id": sid });
              },
            }
          : {}),
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        resolve({
          rps: ok / result.duration,
          ok,
          non2xx: result.non2xx,
          errors: result.errors,
          latencies: latencies.subarray(0, ok),
        });
      },
    );
    instance.on("response", (...args: unknown[]) => {
      // (client, statusCode, resBytes, responseTime)
      const status = args[1] as number;
      if (status < 200 || status >= 300) return;
      if (ok === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[ok++] = args[3] as number;
    });
  });
}

/** Full-session throughput. */
export interface SessionRun {
  sessionsPerSec: number;
  sessions: number;
  seconds: number;
}

/**
 * Runs full sessions (initialize, notifications/initialized, tools/list, tools/call, DELETE)
 * from `concurrency` loops for `seconds`; every answer is checked.
 *
 * @example
 * const run = await sessionLoad(url, 16, 3);
 */
export async function sessionLoad(
  url: string,
  concurrency: number,
  seconds: number,
): Promise<SessionRun> {
  const http = new McpHttp(url, concurrency);
  let done = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const sid = await http.open();
      if (!sid) throw new Error("no session id");
      const tools = await http.listTools(sid);
      if (tools.length !== 2) throw new Error(`tools/list gave ${tools.join(", ")}`);
      const { text } = await http.callTool("echo", { text: "hello" }, sid);
      if (text !== "hello") throw new Error(`echo gave ${String(text)}`);
      const status = await http.close(sid);
      if (status !== 200) throw new Error(`DELETE gave ${status}`);
      done++;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    await http.destroy();
  }
  const elapsed = (performance.now() - start) / 1000;
  return { sessionsPerSec: done / elapsed, sessions: done, seconds: elapsed };
}

/**
 * Opens `count` idle sessions (initialize + notifications/initialized), `concurrency` at a time.
 *
 * @example
 * const ids = await openSessions(url, 1000, 16);
 */
export async function openSessions(
  url: string,
  count: number,
  concurrency: number,
): Promise<string[]> {
  const http = new McpHttp(url, concurrency);
  const ids: string[] = [];
  let started = 0;
  const loop = async () => {
    while (started < count) {
      started++;
      const sid = await http.open();
      if (!sid) throw new Error("no session id");
      ids.push(sid);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    await http.destroy();
  }
  return ids;
}
