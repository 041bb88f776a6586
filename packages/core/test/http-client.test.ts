import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { createServer, type HttpServerHandle } from "../src/index.js";

function app() {
  const a = createServer({ name: "http-test", version: "1.0.0" });
  a.tool("add", { description: "Add", input: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
    sum: a + b,
  }));
  a.tool("chatty", { description: "Logs and progress" }, async (_x, ctx) => {
    await ctx.log.info("one");
    await ctx.progress(1, 2);
    await ctx.log.info("two");
    await ctx.progress(2, 2);
    return "done";
  });
  a.tool("ask", { description: "Samples" }, async (_x, ctx) => {
    const r = await ctx.sample("hi");
    return `got ${(r.content as { text: string }).text}`;
  });
  a.resource("test://r", { description: "r" }, () => "resource text");
  return a;
}

const handles: HttpServerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
});

async function connect(url: string) {
  const client = new Client({ name: "c", version: "1" }, { capabilities: { sampling: {} } });
  const notes: unknown[] = [];
  client.fallbackNotificationHandler = async (n) => {
    notes.push(n);
  };
  client.setRequestHandler(CreateMessageRequestSchema, () => ({
    role: "assistant",
    model: "m",
    content: { type: "text", text: "pong" },
  }));
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport, notes };
}

describe.each(["stateful", "stateless"] as const)("SDK client over HTTP (%s)", (mode) => {
  it("initializes, lists, calls, reads, streams logs and progress", async () => {
    const h = await app().listen({ port: 0, mode });
    handles.push(h);
    const { client, transport, notes } = await connect(h.url);
    if (mode === "stateful") expect(transport.sessionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    else expect(transport.sessionId).toBeUndefined();
    expect(client.getServerVersion()?.name).toBe("http-test");
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["add", "chatty", "ask"]);
    expect(
      (await client.callTool({ name: "add", arguments: { a: 2, b: 3 } })).structuredContent,
    ).toEqual({ sum: 5 });
    const progress: number[] = [];
    const r = await client.callTool({ name: "chatty", arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(r.content).toEqual([{ type: "text", text: "done" }]);
    expect(progress).toEqual([1, 2]);
    expect(notes.map((n) => (n as { params: { data: string } }).params.data)).toEqual([
      "one",
      "two",
    ]);
    expect((await client.readResource({ uri: "test://r" })).contents[0]).toMatchObject({
      text: "resource text",
    });
    const asked = await client.callTool({ name: "ask", arguments: {} });
    if (mode === "stateful") expect(asked.content).toEqual([{ type: "text", text: "got pong" }]);
    else expect(asked.isError).toBe(true);
    await transport.terminateSession().catch(() => {});
    await client.close();
  });
});
