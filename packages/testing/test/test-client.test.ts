import { createServer } from "@mcpforge/core";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import "../src/vitest.js";
import { createTestClient, mcpMatchers, ToolCallError, textOf } from "../src/index.js";

function app() {
  // The "fail" tool throws on purpose: keep its masked stack out of the test output.
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const a = createServer({ name: "t", version: "1.0.0", logger: quiet });
  a.tool("add", { description: "Add", input: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
    sum: a + b,
  }));
  a.tool("shout", { description: "Upper", input: { text: z.string() } }, ({ text }) =>
    text.toUpperCase(),
  );
  a.tool("json_text", { description: "JSON as text" }, () => [{ type: "text", text: "[1,2]" }]);
  a.tool("fail", { description: "Fails" }, () => {
    throw new Error("nope");
  });
  a.tool("steps", { description: "Logs and progress" }, async (_x, ctx) => {
    await ctx.log.info("one");
    await ctx.progress(1, 2);
    await ctx.log.info("two");
    await ctx.progress(2, 2);
    return "done";
  });
  a.tool("ask", { description: "Samples, elicits, lists roots" }, async (_x, ctx) => {
    const s = await ctx.sample("q");
    const e = await ctx.elicit("name?", z.object({ name: z.string() }));
    const roots = await ctx.roots();
    return {
      sampled: (s.content as { text: string }).text,
      elicited: e.action === "accept" ? e.content.name : e.action,
      roots: roots.map((r) => r.uri),
    };
  });
  a.resource("memo://one", { description: "A memo" }, () => "memo text");
  a.resource(
    "memo://{id}",
    { complete: { id: (v) => ["1", "2", "10"].filter((x) => x.startsWith(v)) } },
    ({ id }) => `memo ${String(id)}`,
  );
  a.prompt(
    "hello",
    { description: "Hello", args: { who: z.string() } },
    ({ who }) => `Hello ${who}`,
  );
  return a;
}

describe("createTestClient", () => {
  it("returns parsed structured content, text, or parsed JSON text", async () => {
    await using client = await createTestClient(app());
    expect(await client.callTool<{ sum: number }>("add", { a: 1, b: 2 })).toEqual({ sum: 3 });
    expect(await client.callTool("shout", { text: "hi" })).toBe("HI");
    expect(await client.callTool("json_text")).toEqual([1, 2]);
  });

  it("throws ToolCallError on isError results; callToolRaw returns them", async () => {
    await using client = await createTestClient(app());
    const err = await client.callTool("fail").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolCallError);
    expect((err as ToolCallError).result.isError).toBe(true);
    const raw = await client.callToolRaw("add", { a: "x" });
    expect(raw).toBeToolError(/a: .*expected number/);
    expect(await client.callToolRaw("add", { a: 1, b: 1 })).not.toBeToolError();
    expect(await client.callToolRaw("shout", { text: "x" })).toHaveTextContent("X");
  });

  it("records logs and progress in order, and list_changed notifications", async () => {
    const server = app();
    await using client = await createTestClient(server);
    await client.setLogLevel("debug");
    await client.callTool("steps");
    expect(client.notifications.map((n) => n.method)).toEqual([
      "notifications/message",
      "notifications/progress",
      "notifications/message",
      "notifications/progress",
    ]);
    expect(client.logs.map((l) => l.data)).toEqual(["one", "two"]);
    expect(client.progress.map((p) => p.progress)).toEqual([1, 2]);
    client.clearNotifications();
    server.tool("later", { description: "added later" }, () => "");
    await client.waitForNotification("notifications/tools/list_changed");
    expect(client.listChanged).toEqual(["tools"]);
    expect((await client.listTools()).map((t) => t.name)).toContain("later");
  });

  it("answers sampling, elicitation and roots from the given handlers", async () => {
    await using client = await createTestClient(app(), {
      sampling: () => ({ role: "assistant", model: "m", content: { type: "text", text: "S" } }),
      elicitation: () => ({ action: "accept", content: { name: "Eve" } }),
      roots: () => [{ uri: "file:///r", name: "r" }],
    });
    expect(await client.callTool("ask")).toEqual({
      sampled: "S",
      elicited: "Eve",
      roots: ["file:///r"],
    });
  });

  it("has typed helpers for resources, prompts and completion", async () => {
    await using client = await createTestClient(app());
    expect((await client.listResources()).map((r) => r.uri)).toEqual(["memo://one"]);
    expect((await client.listResourceTemplates()).map((r) => r.uriTemplate)).toEqual([
      "memo://{id}",
    ]);
    expect((await client.readResource("memo://7")).contents[0]).toMatchObject({ text: "memo 7" });
    expect((await client.listPrompts()).map((p) => p.name)).toEqual(["hello"]);
    const p = await client.getPrompt("hello", { who: "Bo" });
    expect(p.messages[0]?.content).toEqual({ type: "text", text: "Hello Bo" });
    expect(
      await client.complete(
        { type: "ref/resource", uri: "memo://{id}" },
        { name: "id", value: "1" },
      ),
    ).toEqual({ values: ["1", "10"], total: 2, hasMore: false });
  });

  it("pages through long lists", async () => {
    const a = createServer({ name: "t", version: "1", pageSize: 2 });
    for (let i = 0; i < 5; i++) a.tool(`t${i}`, { description: "x" }, () => "");
    await using client = await createTestClient(a);
    expect((await client.listTools()).map((t) => t.name)).toEqual(["t0", "t1", "t2", "t3", "t4"]);
  });

  it("closes the session on dispose", async () => {
    const server = app();
    {
      await using client = await createTestClient(server);
      expect(server.sessions.size).toBe(1);
      expect(await client.callTool("shout", { text: "a" })).toBe("A");
    }
    expect(server.sessions.size).toBe(0);
  });

  it("waitForNotification times out with a clear error", async () => {
    await using client = await createTestClient(app());
    await expect(
      client.waitForNotification("notifications/nothing", undefined, 50),
    ).rejects.toThrow("No notifications/nothing notification within 50 ms");
  });
});

describe("matchers", () => {
  it("explain failures", () => {
    const ok = { content: [{ type: "text", text: "fine" }] };
    expect(mcpMatchers.toBeToolError(ok).pass).toBe(false);
    expect(mcpMatchers.toBeToolError(ok).message()).toContain("expected an isError result");
    expect(mcpMatchers.toBeToolError("nope").pass).toBe(false);
    expect(mcpMatchers.toHaveTextContent(ok, /fin/).pass).toBe(true);
    expect(
      textOf({
        content: [{ type: "text", text: "a" }, { type: "image" }, { type: "text", text: "b" }],
      }),
    ).toBe("a\nb");
  });
});
