import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ListRootsRequestSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { Client, createClientTransport, HttpClientTransport } from "../src/client.js";
import { createServer, type HttpServerHandle } from "../src/index.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c().catch(() => {})));
});

/** An MCP Forge server with a plain tool, a streaming tool and a sampling tool. */
async function forge(mode: "stateful" | "stateless", seen: string[] = []) {
  const app = createServer({ name: "forge-backend", version: "1.0.0" });
  app.useHttp((req) => {
    seen.push(`${req.method} ${req.headers["mcp-protocol-version"] ?? "-"}`);
  });
  app.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  app.tool("chatty", {}, async (_x, ctx) => {
    await ctx.log.info("one");
    await ctx.progress(1, 2);
    await ctx.progress(2, 2);
    return "done";
  });
  app.tool("ask", {}, async (_x, ctx) => {
    const r = await ctx.sample("hi");
    return `got ${(r.content as { text: string }).text}`;
  });
  const http = await app.listen({ port: 0, mode });
  closers.push(() => http.close());
  return { app, http: http as HttpServerHandle };
}

/** A client with sampling and roots, recording the notifications it gets. */
async function connect(url: string) {
  const client = new Client(
    { name: "t", version: "1" },
    { capabilities: { sampling: {}, roots: {} } },
  );
  const notes: string[] = [];
  client.fallbackNotificationHandler = async (n) => {
    notes.push(n.method);
  };
  client.setRequestHandler(CreateMessageRequestSchema, () => ({
    role: "assistant",
    model: "m",
    content: { type: "text", text: "pong" },
  }));
  client.setRequestHandler(ListRootsRequestSchema, () => ({
    roots: [{ uri: "file:///work", name: "work" }],
  }));
  const transport = new HttpClientTransport(url);
  closers.push(() => client.close());
  await client.connect(transport);
  return { client, transport, notes };
}

/** The raw SDK's Streamable HTTP server on node:http, stateful or stateless, JSON or SSE. */
async function sdkServer(options: {
  stateful: boolean;
  json: boolean;
  tls?: { key: Buffer; cert: Buffer };
}) {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const servers: McpServer[] = [];
  const deleted: string[] = [];
  const build = () => {
    const server = new McpServer(
      { name: "sdk-backend", version: "1.0.0" },
      { capabilities: { logging: {} } },
    );
    server.registerTool("echo", { inputSchema: { text: z.string() } }, async ({ text }, extra) => {
      await extra.sendNotification({
        method: "notifications/message",
        params: { level: "info", data: `echo ${text}` },
      });
      return { content: [{ type: "text", text }] };
    });
    servers.push(server);
    return server;
  };
  const handler = async (
    req: import("node:http").IncomingMessage,
    res: import("node:http").ServerResponse,
  ) => {
    const id = req.headers["mcp-session-id"] as string | undefined;
    let transport = id ? transports.get(id) : undefined;
    if (id && !transport) {
      res
        .writeHead(404)
        .end('{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}');
      return;
    }
    if (!transport) {
      const t = new StreamableHTTPServerTransport({
        sessionIdGenerator: options.stateful ? () => randomUUID() : undefined,
        enableJsonResponse: options.json,
        onsessioninitialized: (sid) => {
          transports.set(sid, t);
        },
        onsessionclosed: (sid) => {
          deleted.push(sid);
          transports.delete(sid);
        },
      });
      transport = t;
      await build().connect(t);
    }
    await transport.handleRequest(req, res);
  };
  const http: Server = options.tls
    ? createHttpsServer(options.tls, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(resolve);
      }),
  );
  const scheme = options.tls ? "https" : "http";
  const url = `${scheme}://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  return { url, servers, transports, deleted };
}

describe("HttpClientTransport against MCP Forge", () => {
  it("stateful: session id, protocol version header, JSON and SSE answers, sampling on the POST stream, DELETE on close", async () => {
    const seen: string[] = [];
    const { http } = await forge("stateful", seen);
    const { client, transport, notes } = await connect(http.url);
    expect(transport.sessionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(client.getServerVersion()?.name).toBe("forge-backend");
    expect((await client.callTool({ name: "add", arguments: { a: 2, b: 3 } })).content).toEqual([
      { type: "text", text: "5" },
    ]);
    const progress: number[] = [];
    const r = await client.callTool({ name: "chatty", arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(r.content).toEqual([{ type: "text", text: "done" }]);
    expect(progress).toEqual([1, 2]);
    expect(notes).toContain("notifications/message");
    const asked = await client.callTool({ name: "ask", arguments: {} });
    expect(asked.content).toEqual([{ type: "text", text: "got pong" }]);
    // every request after initialize carries the negotiated version
    expect(seen[0]).toBe("POST -");
    expect(seen.slice(1).every((s) => !s.endsWith(" -"))).toBe(true);
    await client.close();
    expect(seen.at(-1)?.startsWith("DELETE ")).toBe(true);
    expect(transport.sessionId).toBeUndefined();
  });

  it("stateful: server-initiated notifications arrive on the GET stream (list_changed)", async () => {
    const { app, http } = await forge("stateful");
    const { client } = await connect(http.url);
    const changed = new Promise<void>((resolve) => {
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve());
    });
    // the GET stream opens right after initialize; give it a moment to be up
    await new Promise((r) => setTimeout(r, 200));
    app.tool("late", {}, () => "late");
    await changed;
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("late");
  });

  it("stateless: no session, JSON answers, streamed progress", async () => {
    const { http } = await forge("stateless");
    const { client, transport } = await connect(http.url);
    expect(transport.sessionId).toBeUndefined();
    expect((await client.callTool({ name: "add", arguments: { a: 1, b: 1 } })).content).toEqual([
      { type: "text", text: "2" },
    ]);
    const progress: number[] = [];
    await client.callTool({ name: "chatty", arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(progress).toEqual([1, 2]);
  });

  it("createClientTransport({ url, headers }) makes one, sending the headers", async () => {
    const app = createServer({ name: "h", version: "1" });
    const tokens: unknown[] = [];
    app.useHttp((req) => {
      tokens.push(req.headers.authorization);
    });
    app.tool("hi", {}, () => "hello");
    const http = await app.listen({ port: 0 });
    closers.push(() => http.close());
    const transport = createClientTransport({
      url: http.url,
      headers: { authorization: "Bearer x" },
    });
    expect(transport).toBeInstanceOf(HttpClientTransport);
    const client = new Client({ name: "t", version: "1" });
    closers.push(() => client.close());
    await client.connect(transport);
    await client.callTool({ name: "hi", arguments: {} });
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.every((t) => t === "Bearer x")).toBe(true);
  });
});

describe.each([
  { stateful: true, json: true },
  { stateful: true, json: false },
  { stateful: false, json: true },
  { stateful: false, json: false },
])("HttpClientTransport against the raw SDK server %o", (options) => {
  it("calls a tool and gets its log notification", async () => {
    const { url } = await sdkServer(options);
    const { client, transport, notes } = await connect(url);
    if (options.stateful) expect(transport.sessionId).toBeDefined();
    else expect(transport.sessionId).toBeUndefined();
    for (const text of ["a", "b", "c"]) {
      const r = await client.callTool({ name: "echo", arguments: { text } });
      expect(r.content).toEqual([{ type: "text", text }]);
    }
    // a JSON answer carries no notifications; an SSE answer carries the log
    expect(notes.filter((n) => n === "notifications/message").length).toBe(options.json ? 0 : 3);
  });
});

describe("HttpClientTransport: server-to-client requests, sessions, failures", () => {
  it("answers a server-to-client request sent on the GET stream (roots/list)", async () => {
    const { url, servers } = await sdkServer({ stateful: true, json: false });
    const { client } = await connect(url);
    await client.callTool({ name: "echo", arguments: { text: "x" } });
    await new Promise((r) => setTimeout(r, 200)); // the GET stream is up
    const server = servers[0] as McpServer;
    const roots = await server.server.listRoots();
    expect(roots.roots).toEqual([{ uri: "file:///work", name: "work" }]);
  });

  it("a session the server ended: the next call fails with a clear 404 error", async () => {
    const { url, transports } = await sdkServer({ stateful: true, json: true });
    const { client, transport } = await connect(url);
    const sid = transport.sessionId as string;
    await transports.get(sid)?.close();
    transports.delete(sid);
    await expect(client.callTool({ name: "echo", arguments: { text: "x" } })).rejects.toThrow(
      /POST http:\/\/127\.0\.0\.1:\d+\/mcp: HTTP 404 session not found/,
    );
  });

  it("terminateSession() ends the session at the server with DELETE", async () => {
    const { url, deleted } = await sdkServer({ stateful: true, json: true });
    const { transport } = await connect(url);
    const sid = transport.sessionId;
    await transport.terminateSession();
    expect(deleted).toEqual([sid]);
    expect(transport.sessionId).toBeUndefined();
  });

  it("speaks HTTPS (a self-signed certificate, trusted for this test)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpforge-tls-"));
    const [key, cert] = [join(dir, "k.pem"), join(dir, "c.pem")];
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    const tls = { key: readFileSync(key), cert: readFileSync(cert) };
    const { url } = await sdkServer({ stateful: true, json: false, tls });
    expect(url.startsWith("https://")).toBe(true);
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    try {
      const { client, transport } = await connect(url);
      expect(transport.sessionId).toBeDefined();
      const r = await client.callTool({ name: "echo", arguments: { text: "over tls" } });
      expect(r.content).toEqual([{ type: "text", text: "over tls" }]);
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    }
  });

  it("a backend that is down: connect and calls fail with a clear error", async () => {
    const { http } = await forge("stateless");
    const url = http.url;
    const { client } = await connect(url);
    await http.close();
    await expect(client.callTool({ name: "add", arguments: { a: 1, b: 2 } })).rejects.toThrow(
      /POST http:\/\/127\.0\.0\.1:\d+\/mcp failed: (connect ECONNREFUSED|socket hang up|read ECONNRESET)/,
    );
    const fresh = new Client({ name: "t", version: "1" });
    await expect(fresh.connect(new HttpClientTransport(url))).rejects.toThrow(/ECONNREFUSED/);
  });

  it("an SSE answer that ends before its response fails the request at once", async () => {
    const http = createHttpServer((req, res) => {
      if (req.method !== "POST") {
        res.writeHead(405).end();
        return;
      }
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        const m = JSON.parse(body) as { id?: number; method: string };
        if (m.method === "initialize") {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              jsonrpc: "2.0",
              id: m.id,
              result: {
                protocolVersion: "2025-06-18",
                capabilities: { tools: {} },
                serverInfo: { name: "cut", version: "1" },
              },
            }),
          );
        } else if (m.id === undefined) {
          res.writeHead(202).end();
        } else {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.end(
            'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"bye"}}\n\n',
          );
        }
      });
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => http.close(resolve)));
    const { client, notes } = await connect(
      `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    );
    await expect(client.listTools()).rejects.toThrow(/ended before the response/);
    expect(notes).toEqual(["notifications/message"]);
  });
});
