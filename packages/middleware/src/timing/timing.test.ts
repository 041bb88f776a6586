import { createServer } from "@mcpforge/core";
import { createTestClient, testMiddleware } from "@mcpforge/testing";
import { describe, expect, it } from "vitest";
import { recordingLogger, silentLogger, sleep } from "../test-utils/fixtures.js";
import { type TimingVars, timing } from "./timing.js";

testMiddleware("timing", () => timing({ log: recordingLogger() }));

describe("timing", () => {
  it("puts the duration on ctx.var.durationMs for earlier middleware", async () => {
    const seen: { method: string; durationMs: number }[] = [];
    const app = createServer({ name: "t", version: "1", logger: silentLogger })
      .use<Partial<TimingVars>>(async (ctx, next) => {
        const result = await next();
        seen.push({ method: ctx.method, durationMs: ctx.var.durationMs ?? -1 });
        return result;
      })
      .use(timing({ log: recordingLogger() }));
    app.tool("nap", { description: "Sleeps 40 ms" }, async () => {
      await sleep(40);
      return "rested";
    });
    await using client = await createTestClient(app);
    expect(await client.callTool("nap")).toBe("rested");
    await client.listTools();
    expect(seen.map((s) => s.method)).toEqual(["tools/call", "tools/list"]);
    expect(seen[0]?.durationMs).toBeGreaterThanOrEqual(35);
    expect(seen[1]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen[1]?.durationMs).toBeLessThan(seen[0]?.durationMs ?? 0);
  });

  it("types ctx.var.durationMs for handlers and later middleware", async () => {
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(timing());
    app.tool("typed", { description: "Reads the typed var" }, (_args, ctx) => {
      const value: number | undefined = ctx.var.durationMs; // set only after next() settles
      return { before: value ?? null };
    });
    await using client = await createTestClient(app);
    expect(await client.callTool("typed")).toEqual({ before: null });
  });

  it("logs operations slower than slowMs, and only those, including failures", async () => {
    const log = recordingLogger();
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      timing({ slowMs: 30, log }),
    );
    app.tool("slow", { description: "Slow" }, async () => {
      await sleep(60);
      return "done";
    });
    app.tool("slow_fail", { description: "Slow, then fails" }, async () => {
      await sleep(60);
      throw new Error("late failure");
    });
    app.tool("fast", { description: "Fast" }, () => "quick");
    await using client = await createTestClient(app);
    await client.callTool("fast");
    await client.callTool("slow");
    await client.callToolRaw("slow_fail");
    await client.listTools();
    expect(log.entries).toHaveLength(2);
    const [slow, failed] = log.entries;
    expect(slow?.level).toBe("warn");
    expect(slow?.msg).toBe("slow operation");
    expect(slow?.fields).toMatchObject({
      method: "tools/call",
      component: "slow",
      slowMs: 30,
      outcome: "ok",
    });
    expect(slow?.fields?.durationMs).toBeGreaterThanOrEqual(55);
    expect(typeof slow?.fields?.sessionId).toBe("string");
    expect(failed?.fields).toMatchObject({ component: "slow_fail", outcome: "error" });
  });

  it("validates its options", () => {
    expect(() => timing({ slowMs: -1 })).toThrow(/^@mcpforge\/middleware: timing\(\): slowMs/);
    expect(() => timing({ slowMs: Number.NaN })).toThrow(/slowMs/);
    expect(() => timing({ log: {} as never })).toThrow(/log must have a warn/);
    expect(() => timing("fast" as never)).toThrow(/options must be an object/);
    expect(() => timing({ slowMs: 0 })).not.toThrow();
  });
});

describe("timing over HTTP", () => {
  it("adds a Server-Timing header to the answer", async () => {
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      timing({ log: recordingLogger() }),
    );
    app.tool("quick", { description: "Answers at once" }, () => "ok");
    const http = await app.listen({ port: 0, mode: "stateless" });
    try {
      const res = await fetch(http.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "quick" },
        }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("server-timing")).toMatch(/^mcp;dur=\d+(\.\d+)?$/);
      const body = (await res.json()) as { result: { content: { text: string }[] } };
      expect(body.result.content[0]?.text).toBe("ok");
    } finally {
      await http.close();
    }
  });
});
