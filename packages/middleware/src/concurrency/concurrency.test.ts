import { createServer } from "@mcpforge/core";
import { createTestClient, testMiddleware, textOf } from "@mcpforge/testing";
import type { McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { gate, refusal, silentLogger, until } from "../test-utils/fixtures.js";
import { concurrency } from "./concurrency.js";

testMiddleware("concurrency", () => concurrency());
testMiddleware("concurrency (tight limits)", () =>
  concurrency({ max: 3, perTool: { slow_echo: 2 } }),
);

function blockingApp(options: Parameters<typeof concurrency>[0]) {
  const door = gate();
  let calls = 0;
  const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
    concurrency(options),
  );
  app.tool("block", { description: "Waits at the door" }, async () => {
    calls++;
    await door.wait();
    return "through";
  });
  app.tool("fast", { description: "Fast" }, () => "quick");
  app.tool("crash", { description: "Crashes" }, () => {
    throw new Error("boom");
  });
  return { app, door, handlerCalls: () => calls };
}

describe("concurrency", () => {
  it("refuses calls over the global limit at once, and frees slots when calls end", async () => {
    const { app, door, handlerCalls } = blockingApp({ max: 2 });
    await using client = await createTestClient(app);
    const first = client.callTool("block");
    const second = client.callTool("block");
    await until(() => door.waiting === 2);
    const err = await refusal(client.callToolRaw("fast", {}));
    expect(err.code).toBe(-32010);
    expect(err.message).toContain("Server busy: 2 tool calls are already in progress");
    expect(err.data).toEqual({ scope: "global", limit: 2 });
    expect(handlerCalls()).toBe(2);
    door.open();
    expect(await Promise.all([first, second])).toEqual(["through", "through"]);
    expect(await client.callTool("fast")).toBe("quick");
    // Lists are not tool calls: never limited.
    expect((await client.listTools()).length).toBe(3);
  });

  it("applies per-tool limits without blocking other tools", async () => {
    const { app, door } = blockingApp({ max: 10, perTool: { block: 1 } });
    await using client = await createTestClient(app);
    const first = client.callTool("block");
    await until(() => door.waiting === 1);
    const err = await refusal(client.callToolRaw("block", {}));
    expect(err.code).toBe(-32010);
    expect(err.message).toContain('Tool "block" is busy: 1 calls are already in progress');
    expect(err.data).toEqual({ scope: "tool", tool: "block", limit: 1 });
    expect(await client.callTool("fast")).toBe("quick");
    door.open();
    expect(await first).toBe("through");
    door.open();
    expect(await client.callTool("block")).toBe("through");
  });

  it("releases slots after failures", async () => {
    const { app } = blockingApp({ max: 1, perTool: { crash: 1 } });
    await using client = await createTestClient(app);
    for (let i = 0; i < 3; i++) {
      expect((await client.callToolRaw("crash", {})).isError).toBe(true);
    }
    await refusal(client.callToolRaw("missing_tool", {}));
    expect(await client.callTool("fast")).toBe("quick");
  });

  it("lets exactly max of many simultaneous calls through", async () => {
    const { app, door } = blockingApp({ max: 5 });
    await using client = await createTestClient(app);
    const calls = Array.from({ length: 20 }, () =>
      client.callToolRaw("block", {}).then(
        (r) => textOf(r),
        (e: unknown) => (e as McpError).code,
      ),
    );
    await until(() => door.waiting === 5);
    door.open();
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === "through")).toHaveLength(5);
    expect(outcomes.filter((o) => o === -32010)).toHaveLength(15);
  });

  it("validates its options", () => {
    expect(() => concurrency({ max: 0 })).toThrow(
      /^@mcpforge\/middleware: concurrency\(\): max must be a positive integer/,
    );
    expect(() => concurrency({ max: 1.5 })).toThrow(/max/);
    expect(() => concurrency({ perTool: { x: -1 } })).toThrow(/perTool\["x"\]/);
    expect(() => concurrency({ perTool: 3 as never })).toThrow(/perTool must be an object/);
  });
});
