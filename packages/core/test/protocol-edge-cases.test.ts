import { PassThrough } from "node:stream";
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as HttpV2,
} from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { createServer, type HttpServerHandle, type ListenOptions } from "../src/index.js";
import { StdioTransport } from "../src/transport.js";
import { INIT, openSession, raw, rpc, sseEvents } from "./http-helpers.js";

const handles: HttpServerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let echoCalls = 0;

function app() {
  const a = createServer({ name: "edge", version: "1.0.0", logger: silent });
  a.tool("echo", { description: "Echo", input: { text: z.string().optional() } }, ({ text }) => {
    echoCalls++;
    return text ?? "(nothing)";
  });
  a.tool("progress", { description: "Reports progress" }, async (_a, ctx) => {
    await ctx.log.info("working");
    return "done";
  });
  return a;
}

async function start(options: ListenOptions = {}) {
  const h = await app().listen({ port: 0, ...options });
  handles.push(h);
  return h;
}

const json = (body: string) => JSON.parse(body);

describe("params that are not an object → -32602 echoing the id", () => {
  const bad = [
    ["an array", [1, 2]],
    ["a string", "x"],
    ["a number", 3],
    ["null", null],
  ] as const;

  it.each(bad)("stateless HTTP, params %s", async (_what, params) => {
    const h = await start({ mode: "stateless" });
    for (const method of ["tools/list", "tools/call", "ping", "initialize", "resources/read"]) {
      const r = await rpc(h.url, { jsonrpc: "2.0", id: "req-7", method, params });
      expect(r.status, method).toBe(200);
      expect(json(r.body), method).toMatchObject({
        jsonrpc: "2.0",
        id: "req-7",
        error: { code: -32602 },
      });
    }
  });

  it("stateful HTTP session", async () => {
    const h = await start();
    const sid = await openSession(h.url);
    const r = await rpc(
      h.url,
      { jsonrpc: "2.0", id: 42, method: "tools/list", params: ["x"] },
      { "mcp-session-id": sid },
    );
    expect(json(r.body)).toMatchObject({ id: 42, error: { code: -32602 } });
  });

  it("stdio", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const a = app();
    await a.connect(new StdioTransport({ stdin, stdout }), { transportName: "stdio" });
    const lines: string[] = [];
    stdout.on("data", (d: Buffer) => lines.push(...d.toString().split("\n").filter(Boolean)));
    stdin.write(
      `${JSON.stringify({ jsonrpc: "2.0", id: 5, method: "tools/list", params: [1] })}\n`,
    );
    stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/x", params: "y" })}\n`);
    stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 6, method: "ping" })}\n`);
    await expect.poll(() => lines.length).toBe(2);
    expect(json(lines[0] as string)).toMatchObject({ id: 5, error: { code: -32602 } });
    expect(json(lines[1] as string)).toEqual({ jsonrpc: "2.0", id: 6, result: {} });
    await a.close();
  });
});

describe("tools/call arguments that are not an object", () => {
  it.each([
    ["null", null],
    ["an array", []],
    ["a string", "x"],
    ["a number", 1],
  ])("%s → -32602, the handler never runs", async (_what, args) => {
    const h = await start({ mode: "stateless" });
    const before = echoCalls;
    const r = await rpc(h.url, {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "echo", arguments: args },
    });
    expect(json(r.body)).toMatchObject({ id: 1, error: { code: -32602 } });
    expect(echoCalls).toBe(before);
  });

  it("absent arguments still mean {}", async () => {
    const h = await start({ mode: "stateless" });
    const r = await rpc(h.url, {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "echo" },
    });
    expect(json(r.body).result.content[0].text).toBe("(nothing)");
  });
});

describe("JSON-RPC batches by protocol revision", () => {
  const call = (id: number, text: string) => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "echo", arguments: { text } },
  });

  it("a 2025-03-26 session may batch: one response per request, errors per element", async () => {
    const h = await start();
    const sid = await openSession(h.url, "2025-03-26");
    const headers = { "mcp-session-id": sid };
    const r = await rpc(
      h.url,
      [call(1, "a"), { jsonrpc: "2.0", id: 2, method: "ping" }, call(3, "c")],
      headers,
    );
    expect(r.status).toBe(200);
    const answers = json(r.body) as { id: number; result: { content?: { text: string }[] } }[];
    expect(answers.map((a) => a.id).sort()).toEqual([1, 2, 3]);
    expect(answers.find((a) => a.id === 1)?.result.content?.[0]?.text).toBe("a");
    expect(answers.find((a) => a.id === 2)?.result).toEqual({});
    const three = await rpc(h.url, [1, 2, 3], headers);
    expect(three.status).toBe(200);
    expect(json(three.body)).toEqual([
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: expect.any(String) } },
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: expect.any(String) } },
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: expect.any(String) } },
    ]);
    const mixed = await rpc(h.url, [call(4, "d"), { nope: true }, { ...INIT, id: 9 }], headers);
    const m = json(mixed.body) as { id: number | null; error?: { code: number } }[];
    expect(m).toHaveLength(3);
    expect(m.filter((x) => x.error?.code === -32600)).toHaveLength(2);
    expect(m.find((x) => x.id === 9)?.error?.code).toBe(-32600); // initialize is never batched
  });

  it("a batch of only notifications gets 202", async () => {
    const h = await start();
    const sid = await openSession(h.url, "2025-03-26");
    const r = await rpc(
      h.url,
      [
        { jsonrpc: "2.0", method: "notifications/initialized" },
        { jsonrpc: "2.0", method: "notifications/roots/list_changed" },
      ],
      { "mcp-session-id": sid },
    );
    expect(r.status).toBe(202);
  });

  it("a batch whose call streams first is answered on SSE with every response", async () => {
    const h = await start();
    const sid = await openSession(h.url, "2025-03-26");
    const r = await rpc(
      h.url,
      [
        {
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "progress", arguments: {} },
        },
        call(2, "b"),
      ],
      { "mcp-session-id": sid },
    );
    expect(r.headers["content-type"]).toContain("text/event-stream");
    const messages = sseEvents(r.body)
      .filter((e) => e.data)
      .map((e) => json(e.data));
    expect(messages.filter((m) => m.method === "notifications/message")).toHaveLength(1);
    expect(
      messages
        .filter((m) => "result" in m)
        .map((m) => m.id)
        .sort(),
    ).toEqual([1, 2]);
  });

  it("sessions on 2025-06-18 or later keep refusing batches with 400/-32600", async () => {
    const h = await start();
    for (const version of ["2025-06-18", "2025-11-25"]) {
      const sid = await openSession(h.url, version);
      const r = await rpc(h.url, [call(1, "a")], { "mcp-session-id": sid });
      expect(r.status, version).toBe(400);
      expect(json(r.body).error.code).toBe(-32600);
    }
  });

  it("stateless: the MCP-Protocol-Version header decides", async () => {
    const h = await start({ mode: "stateless" });
    const old = await rpc(h.url, [call(1, "a"), call(2, "b")], {
      "mcp-protocol-version": "2025-03-26",
    });
    expect(old.status).toBe(200);
    expect((json(old.body) as { id: number }[]).map((a) => a.id).sort()).toEqual([1, 2]);
    const modern = await rpc(h.url, [call(1, "a")], { "mcp-protocol-version": "2025-06-18" });
    expect(modern.status).toBe(400);
    expect(json(modern.body).error.code).toBe(-32600);
    const empty = await rpc(h.url, [], { "mcp-protocol-version": "2025-03-26" });
    expect(empty.status).toBe(400);
  });
});

describe("GET with Last-Event-ID", () => {
  it("a malformed id → 400; a well-formed unknown one keeps today's answer", async () => {
    const h = await start();
    const sid = await openSession(h.url);
    const get = (last: string) =>
      raw(h.url, {
        method: "GET",
        headers: { accept: "text/event-stream", "mcp-session-id": sid, "last-event-id": last },
        until: () => true,
      });
    for (const bad of [
      "garbage",
      "../../etc",
      `${sid}.1`,
      `${sid}_1`,
      "x".repeat(300),
      `${sid}.1_1; drop`,
    ]) {
      expect((await get(bad)).status, bad).toBe(400);
    }
    // Well-formed, of another session: 404 as before.
    expect((await get("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.1_1")).status).toBe(404);
    // Well-formed, this session, never issued: the stream opens and ends (nothing to replay).
    const unknown = await raw(h.url, {
      method: "GET",
      headers: {
        accept: "text/event-stream",
        "mcp-session-id": sid,
        "last-event-id": `${sid}.99_3`,
      },
    });
    expect(unknown.status).toBe(200);
  });
});

describe("clients of the 2026-07-28 revision", () => {
  it("server/discover before initialize gets a fast 4xx with a JSON-RPC error (stateful)", async () => {
    const h = await start();
    const r = await rpc(h.url, { jsonrpc: "2.0", id: 1, method: "server/discover", params: {} });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(json(r.body).error.code).toEqual(expect.any(Number));
  });

  it("server/discover in stateless mode is a JSON-RPC method-not-found", async () => {
    const h = await start({ mode: "stateless" });
    const r = await rpc(h.url, { jsonrpc: "2.0", id: 1, method: "server/discover", params: {} });
    expect(json(r.body)).toMatchObject({ id: 1, error: { code: -32601 } });
  });

  it.each([
    "stateful",
    "stateless",
  ] as const)("the SDK v2 client with versionNegotiation auto connects over HTTP (%s) and calls a tool", async (mode) => {
    const h = await start({ mode });
    const client = new ClientV2(
      { name: "v2", version: "2.0.0" },
      { versionNegotiation: { mode: "auto" } },
    );
    await client.connect(new HttpV2(new URL(h.url)));
    const r = await client.callTool({ name: "echo", arguments: { text: "hi" } });
    expect(r.content).toEqual([{ type: "text", text: "hi" }]);
    await client.close();
  });

  it("the SDK v2 client with versionNegotiation auto connects over stdio and calls a tool", async () => {
    const client = new ClientV2(
      { name: "v2", version: "2.0.0" },
      { versionNegotiation: { mode: "auto" } },
    );
    const fixture = new URL("./fixtures/stdio-server.ts", import.meta.url).pathname;
    await client.connect(
      new StdioV2({
        command: process.execPath,
        args: ["--conditions=@mcpforge/source", "--import", "tsx", fixture],
        stderr: "ignore",
      }),
    );
    const tools = await client.listTools();
    expect(tools.tools.length).toBeGreaterThan(0);
    const name = tools.tools[0]?.name as string;
    const r = await client.callTool({ name, arguments: { text: "x" } });
    expect(r.content).toBeDefined();
    await client.close();
  });

  it("initialize with unknown extra fields in the client capabilities is accepted", async () => {
    const h = await start();
    const r = await rpc(h.url, {
      ...INIT,
      params: {
        ...INIT.params,
        capabilities: { tools: {}, experimental: { x: {} }, somethingNew: { deep: [1] } },
        clientInfo: { name: "odd", version: "1", extra: true },
      },
    });
    expect(r.status).toBe(200);
    expect(json(r.body).result.protocolVersion).toBe("2025-11-25");
  });
});
