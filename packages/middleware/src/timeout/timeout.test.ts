import { createServer, McpForgeError, ToolError } from "@mcpforge/core";
import { createTestClient, testMiddleware, textOf } from "@mcpforge/testing";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { silentLogger, sleep, until } from "../test-utils/fixtures.js";
import { timeout } from "./timeout.js";

testMiddleware("timeout", () => timeout({ defaultMs: 2000 }));

describe("timeout", () => {
  it("answers a slow tool with a timeout error and aborts ctx.signal and ctx.var.timeoutSignal", async () => {
    const seen: { ctxAborted?: boolean; varAborted?: boolean; reason?: unknown } = {};
    let finished = false;
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      timeout({ defaultMs: 5000, tools: { slow: 50 } }),
    );
    app.tool("slow", { description: "Waits for cancellation" }, async (_args, ctx) => {
      await new Promise<void>((resolve) => {
        ctx.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      seen.ctxAborted = ctx.signal.aborted;
      seen.varAborted = ctx.var.timeoutSignal.aborted;
      seen.reason = ctx.signal.reason;
      await sleep(20);
      finished = true;
      return "too late";
    });
    await using client = await createTestClient(app);
    const started = Date.now();
    const result = await client.callToolRaw("slow", {});
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Tool "slow" timed out after 50 ms');
    await until(() => finished);
    expect(seen.ctxAborted).toBe(true);
    expect(seen.varAborted).toBe(true);
    expect(seen.reason).toBeInstanceOf(McpForgeError);
    expect((seen.reason as McpForgeError).kind).toBe("timeout");
    // The late result was dropped; the session keeps working.
    expect(client.notifications).toEqual([]);
    expect(await client.callToolRaw("slow", {}).then(textOf)).toMatch(/timed out/);
  });

  it("drops the late result of a handler that ignores the signal", async () => {
    let completed = 0;
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      timeout({ defaultMs: 40 }),
    );
    app.tool("stubborn", { description: "Ignores cancellation" }, async () => {
      await sleep(120);
      completed++;
      return "finished anyway";
    });
    app.tool("stubborn_fail", { description: "Fails late" }, async () => {
      await sleep(120);
      completed++;
      throw new Error("late failure");
    });
    await using client = await createTestClient(app);
    expect(textOf(await client.callToolRaw("stubborn", {}))).toBe(
      'Tool "stubborn" timed out after 40 ms',
    );
    expect(textOf(await client.callToolRaw("stubborn_fail", {}))).toBe(
      'Tool "stubborn_fail" timed out after 40 ms',
    );
    await until(() => completed === 2);
    await sleep(20);
    expect(completed).toBe(2);
  });

  it("lets fast tools, tool errors and Infinity-timeout tools through untouched", async () => {
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      timeout({ defaultMs: 30, tools: { patient: Number.POSITIVE_INFINITY, roomy: 1000 } }),
    );
    app.tool("fast", { description: "Fast" }, () => "quick");
    app.tool("refuse", { description: "ToolError" }, () => {
      throw new ToolError("nope");
    });
    app.tool("patient", { description: "No timeout" }, async (_a, ctx) => {
      await sleep(80);
      return { aborted: ctx.var.timeoutSignal.aborted };
    });
    app.tool("roomy", { description: "Own timeout" }, async () => {
      await sleep(80);
      return "made it";
    });
    await using client = await createTestClient(app);
    expect(await client.callTool("fast")).toBe("quick");
    expect(textOf(await client.callToolRaw("refuse", {}))).toBe("nope");
    expect(await client.callTool("patient")).toEqual({ aborted: false });
    expect(await client.callTool("roomy")).toBe("made it");
  });

  it("is a JSON-RPC timeout error (-32008) when time runs out before the handler starts", async () => {
    const app = createServer({ name: "t", version: "1", logger: silentLogger })
      .use(timeout({ defaultMs: 40 }))
      .use({
        onCallTool: async (_ctx, next) => {
          await sleep(150);
          return next();
        },
      });
    let ran = false;
    app.tool("late", { description: "Late" }, () => {
      ran = true;
      return "ran";
    });
    await using client = await createTestClient(app);
    const err = (await client.callToolRaw("late", {}).catch((e: unknown) => e)) as McpError;
    expect(err).toBeInstanceOf(McpError);
    expect(err.code).toBe(-32008);
    expect(err.message).toContain('Tool "late" timed out after 40 ms');
    expect(err.data).toEqual({ tool: "late", timeoutMs: 40 });
    await sleep(150);
    expect(ran).toBe(true); // it ran after all, but its result went nowhere
  });

  it("still passes the client's cancellation through ctx.signal", async () => {
    let reason: unknown;
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      timeout({ defaultMs: 5000 }),
    );
    app.tool("wait", { description: "Waits for cancellation" }, async (_a, ctx) => {
      await new Promise<void>((resolve) => {
        ctx.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      reason = ctx.signal.reason;
      return { timedOut: ctx.var.timeoutSignal.aborted };
    });
    await using client = await createTestClient(app);
    const controller = new AbortController();
    const call = client.callToolRaw("wait", {}, { signal: controller.signal });
    await sleep(30);
    controller.abort("user gave up");
    await expect(call).rejects.toThrow();
    await until(() => reason !== undefined);
    expect(reason).not.toBeInstanceOf(McpForgeError);
  });

  it("validates its options", () => {
    expect(() => timeout({ defaultMs: 0 })).toThrow(
      /^@mcpforge\/middleware: timeout\(\): defaultMs must be a positive number/,
    );
    expect(() => timeout({ defaultMs: -5 })).toThrow(/defaultMs/);
    expect(() => timeout({ defaultMs: Number.NaN })).toThrow(/defaultMs/);
    expect(() => timeout({ defaultMs: 2 ** 31 })).toThrow(/defaultMs/);
    expect(() => timeout({ defaultMs: "10" as never })).toThrow(/defaultMs/);
    expect(() => timeout({ tools: { slow: 0 } })).toThrow(/tools\["slow"\]/);
    expect(() => timeout({ tools: [] as never })).toThrow(/tools must be an object/);
    expect(() => timeout({ defaultMs: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});

describe("timeout: shared deadlines", () => {
  it("times out each slow call at its own deadline among many fast ones, then holds no timer", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      timeout({ defaultMs: 5000, tools: { slow: 80, slower: 160 } }),
    );
    app.tool("fast", { description: "Answers at once" }, () => "ok");
    const hang = async (_args: unknown, ctx: { signal: AbortSignal }) => {
      await new Promise<void>((resolve) => {
        ctx.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      return "late";
    };
    app.tool("slow", { description: "Hangs" }, hang);
    app.tool("slower", { description: "Hangs longer" }, hang);
    await using client = await createTestClient(app);
    const before = timers();
    const started = Date.now();
    const finished: Record<string, number> = {};
    const calls = [
      ...Array.from({ length: 50 }, () => client.callToolRaw("fast", {})),
      client.callToolRaw("slow", {}).then((r) => {
        finished.slow = Date.now() - started;
        return r;
      }),
      client.callToolRaw("slower", {}).then((r) => {
        finished.slower = Date.now() - started;
        return r;
      }),
      ...Array.from({ length: 50 }, () => client.callToolRaw("fast", {})),
    ];
    const results = await Promise.all(calls);
    expect(results.filter((r) => !r.isError)).toHaveLength(100);
    const errors = results.filter((r) => r.isError).map((r) => textOf(r));
    expect(errors).toEqual([
      expect.stringMatching(/"slow" timed out after 80 ms/),
      expect.stringMatching(/"slower" timed out after 160 ms/),
    ]);
    // each deadline fired on time, not before (and the later one after the earlier one)
    expect(finished.slow).toBeGreaterThanOrEqual(79);
    expect(finished.slower).toBeGreaterThanOrEqual(159);
    // nothing waits any more: the shared timers are gone
    await until(() => timers() <= before);
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
