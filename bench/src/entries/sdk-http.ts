/**
 * The raw official SDK over Streamable HTTP on plain `node:http`:
 * `node sdk-http.js <stateless|stateful> [slow]` (`slow` adds the cache figure's `slow_echo`
 * tool, about 0.2 ms of synchronous work per call).
 *
 * Wired the way the SDK's own examples do it (simpleStatelessStreamableHttp.ts and
 * simpleStreamableHttp.ts), with `node:http` in place of express: the body is parsed first
 * (as `express.json()` does there) and passed to `handleRequest`.
 * - stateless: a NEW McpServer and transport per request, `sessionIdGenerator: undefined`;
 * - stateful: one McpServer + transport per session, kept in a map by session id.
 * Response mode is the SDK default (`enableJsonResponse: false`: answers are SSE streams).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";
import { arg, report, serveParent } from "./child.js";
import { sdkTools } from "./tools.js";
import { SLOW_ECHO_MS, spin } from "./work.js";

const stateful = arg(0, "stateless") === "stateful";
const slow = arg(1, "") === "slow";

function getServer(): McpServer {
  const server = sdkTools(new McpServer({ name: "bench-sdk", version: "1.0.0" }));
  if (slow) {
    server.registerTool(
      "slow_echo",
      {
        description: "Echoes text after a little work",
        inputSchema: { text: z.string() },
        annotations: { readOnlyHint: true },
      },
      async ({ text }) => {
        spin(SLOW_ECHO_MS);
        return { content: [{ type: "text", text }] };
      },
    );
  }
  return server;
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (err) {
        reject(err);
      }
    });
  });
}

function jsonError(res: ServerResponse, status: number, code: number, message: string): void {
  res
    .writeHead(status, { "content-type": "application/json" })
    .end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

async function statelessHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") return jsonError(res, 405, -32000, "Method not allowed.");
  const body = await readBody(req);
  const server = getServer();
  try {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
  } catch {
    if (!res.headersSent) jsonError(res, 500, -32603, "Internal server error");
  }
}

const transports = new Map<string, StreamableHTTPServerTransport>();

async function statefulHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const header = req.headers["mcp-session-id"];
  const sessionId = Array.isArray(header) ? header[0] : header;
  if (req.method === "POST") {
    const body = await readBody(req);
    const existing = sessionId ? transports.get(sessionId) : undefined;
    if (existing) return existing.handleRequest(req, res, body);
    if (!sessionId && isInitializeRequest(body)) {
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, transport);
        },
      });
      transport.onclose = () => {
        const id = transport.sessionId;
        if (id) transports.delete(id);
      };
      const server = getServer();
      await server.connect(transport);
      return transport.handleRequest(req, res, body);
    }
    return jsonError(res, 400, -32000, "Bad Request: No valid session ID provided");
  }
  if (req.method === "GET" || req.method === "DELETE") {
    const transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport) return jsonError(res, 400, -32000, "Invalid or missing session ID");
    return transport.handleRequest(req, res);
  }
  return jsonError(res, 405, -32000, "Method not allowed.");
}

const handler = stateful ? statefulHandler : statelessHandler;
const http = createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  if (path !== "/mcp") return jsonError(res, 404, -32000, "Not found");
  handler(req, res).catch(() => {
    if (!res.headersSent) jsonError(res, 500, -32603, "Internal server error");
  });
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
const { port } = http.address() as AddressInfo;
serveParent(
  () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    }),
);
report({ type: "ready", url: `http://127.0.0.1:${port}/mcp` });
