import { request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export const ACCEPT = "application/json, text/event-stream";

/** One raw HTTP request with full control of headers (Host included). */
export function raw(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    until?: (body: string) => boolean;
  } = {},
): Promise<RawResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: options.method ?? "POST",
        headers: options.headers,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        res.on("data", (d: string) => {
          body += d;
          if (options.until?.(body)) {
            res.destroy();
            done();
          }
        });
        res.on("end", done);
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** POST a JSON-RPC message with the usual MCP headers. */
export function rpc(
  url: string,
  message: unknown,
  headers: Record<string, string> = {},
  until?: (b: string) => boolean,
) {
  return raw(url, {
    headers: { "content-type": "application/json", accept: ACCEPT, ...headers },
    body: JSON.stringify(message),
    ...(until ? { until } : {}),
  });
}

export const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "raw", version: "1" },
  },
};

/** Initializes a stateful session (at `protocolVersion`, default 2025-11-25) and returns its id. */
export async function openSession(url: string, protocolVersion = "2025-11-25"): Promise<string> {
  const r = await rpc(url, { ...INIT, params: { ...INIT.params, protocolVersion } });
  const id = r.headers["mcp-session-id"];
  if (r.status !== 200 || typeof id !== "string")
    throw new Error(`initialize failed: ${r.status} ${r.body}`);
  await rpc(url, { jsonrpc: "2.0", method: "notifications/initialized" }, { "mcp-session-id": id });
  return id;
}

/** Parses SSE text into events. */
export function sseEvents(text: string): { id?: string; data: string; retry?: string }[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() && !block.startsWith(":"))
    .map((block) => {
      const e: { id?: string; data: string; retry?: string } = { data: "" };
      for (const line of block.split("\n")) {
        if (line.startsWith("id: ")) e.id = line.slice(4);
        else if (line.startsWith("data: ")) e.data += line.slice(6);
        else if (line.startsWith("data:")) e.data += line.slice(5);
        else if (line.startsWith("retry: ")) e.retry = line.slice(7);
      }
      return e;
    });
}
