/**
 * A minimal Streamable HTTP MCP client on undici (no SDK client): enough to open sessions,
 * call tools and close sessions quickly from the load generator, and to check answers in
 * either response mode (a JSON body or an SSE stream).
 */
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { Pool } from "undici";

export const PROTOCOL_VERSION = LATEST_PROTOCOL_VERSION;

/** Headers every POST carries. */
export const POST_HEADERS: Readonly<Record<string, string>> = {
  accept: "application/json, text/event-stream",
  "content-type": "application/json",
  "mcp-protocol-version": PROTOCOL_VERSION,
};

/** One JSON-RPC answer read from a POST, with how it came back. */
export interface RpcAnswer {
  status: number;
  /** `json` or `sse` (from the Content-Type), or `none` for an empty body. */
  mode: "json" | "sse" | "none";
  sessionId: string | undefined;
  message: { id?: unknown; result?: Record<string, unknown>; error?: unknown } | undefined;
}

function parseSse(text: string): unknown[] {
  const out: unknown[] = [];
  for (const event of text.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((l) => l.startsWith("data:"))
      .map((l) => l.slice(5).trimStart())
      .join("\n");
    if (data.length > 0) out.push(JSON.parse(data));
  }
  return out;
}

/** A pool of keep-alive connections to one MCP endpoint. */
export class McpHttp {
  readonly url: URL;
  readonly #pool: Pool;
  readonly #headers: Readonly<Record<string, string>>;
  #nextId = 1;

  /** `headers` go with every request (e.g. an API key). */
  constructor(url: string, connections: number, headers: Readonly<Record<string, string>> = {}) {
    this.url = new URL(url);
    this.#pool = new Pool(this.url.origin, { connections, pipelining: 1 });
    this.#headers = headers;
  }

  /** POSTs one JSON-RPC message; reads the final answer for a request. */
  async post(message: Record<string, unknown>, sessionId?: string): Promise<RpcAnswer> {
    const headers: Record<string, string> = { ...POST_HEADERS, ...this.#headers };
    if (sessionId) headers["mcp-session-id"] = sessionId;
    const res = await this.#pool.request({
      path: this.url.pathname,
      method: "POST",
      headers,
      body: JSON.stringify(message),
    });
    const text = await res.body.text();
    const type = String(res.headers["content-type"] ?? "");
    const sid = res.headers["mcp-session-id"];
    const answer: RpcAnswer = {
      status: res.statusCode,
      mode: text.length === 0 ? "none" : type.includes("text/event-stream") ? "sse" : "json",
      sessionId: Array.isArray(sid) ? sid[0] : sid,
      message: undefined,
    };
    if (answer.mode === "json") answer.message = JSON.parse(text);
    else if (answer.mode === "sse") {
      const messages = parseSse(text) as RpcAnswer["message"][];
      answer.message = messages.find(
        (m) => m && m.id === message.id && ("result" in m || "error" in m),
      );
    }
    return answer;
  }

  /** `initialize` then `notifications/initialized`; returns the session id (undefined when stateless). */
  async open(): Promise<string | undefined> {
    const init = await this.post({
      jsonrpc: "2.0",
      id: this.#nextId++,
      method: "initialize",
      params: {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: "bench-client", version: "0.0.0" },
      },
    });
    if (init.status !== 200 || !init.message?.result) {
      throw new Error(`initialize failed: ${init.status} ${JSON.stringify(init.message)}`);
    }
    const done = await this.post(
      { jsonrpc: "2.0", method: "notifications/initialized" },
      init.sessionId,
    );
    if (done.status !== 202) throw new Error(`notifications/initialized got ${done.status}`);
    return init.sessionId;
  }

  /** Calls a tool; returns the first text block and the answer. */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    sessionId?: string,
  ): Promise<{ text: unknown; answer: RpcAnswer }> {
    const answer = await this.post(
      {
        jsonrpc: "2.0",
        id: this.#nextId++,
        method: "tools/call",
        params: { name, arguments: args },
      },
      sessionId,
    );
    const content = (answer.message?.result as { content?: { text?: unknown }[] } | undefined)
      ?.content;
    return { text: content?.[0]?.text, answer };
  }

  /** Lists tools; returns their names. */
  async listTools(sessionId?: string): Promise<string[]> {
    const answer = await this.post(
      { jsonrpc: "2.0", id: this.#nextId++, method: "tools/list", params: {} },
      sessionId,
    );
    const tools = (answer.message?.result as { tools?: { name: string }[] } | undefined)?.tools;
    if (!tools) throw new Error(`tools/list failed: ${JSON.stringify(answer.message)}`);
    return tools.map((t) => t.name);
  }

  /** Ends a session with DELETE; returns the status. */
  async close(sessionId: string): Promise<number> {
    const res = await this.#pool.request({
      path: this.url.pathname,
      method: "DELETE",
      headers: {
        ...this.#headers,
        "mcp-session-id": sessionId,
        "mcp-protocol-version": PROTOCOL_VERSION,
      },
    });
    await res.body.dump();
    return res.statusCode;
  }

  /** Closes the connection pool. */
  async destroy(): Promise<void> {
    await this.#pool.close();
  }
}

/**
 * Checks that a server answers `echo` and `add` correctly; returns the response mode seen.
 * Throws with what came back otherwise. `headers` go with every request (e.g. an API key).
 *
 * @example
 * const mode = await verifyServer(url, true);
 */
export async function verifyServer(
  url: string,
  stateful: boolean,
  headers: Readonly<Record<string, string>> = {},
): Promise<"json" | "sse"> {
  const http = new McpHttp(url, 1, headers);
  try {
    const sid = stateful ? await http.open() : undefined;
    if (stateful && !sid) throw new Error(`${url}: a stateful server gave no session id`);
    const echo = await http.callTool("echo", { text: "hello" }, sid);
    if (echo.answer.status !== 200 || echo.text !== "hello") {
      throw new Error(
        `${url}: echo answered ${echo.answer.status} ${JSON.stringify(echo.answer.message)}`,
      );
    }
    const add = await http.callTool("add", { a: 2, b: 3 }, sid);
    if (add.text !== "5") {
      throw new Error(`${url}: add answered ${JSON.stringify(add.answer.message)}`);
    }
    if (sid) await http.close(sid);
    return echo.answer.mode === "sse" ? "sse" : "json";
  } finally {
    await http.destroy();
  }
}
