import { createServer, type Middleware } from "@mcpforge/core";
import { describe, expect, it } from "vitest";
import { createTestClient } from "../test-client.js";
import { countNextCalls, testMiddleware } from "./test-middleware.js";

testMiddleware("pass-through function", () => async (_ctx, next) => next());

testMiddleware("hooks object", () => ({
  name: "hooks",
  onRequest: async (ctx, next) => {
    ctx.var.seen = true;
    return next();
  },
  onCallTool: async (_ctx, next) => next(),
  onListTools: async (_ctx, next) => next(),
  onNotification: async (_info, next) => next(),
}));

describe("countNextCalls", () => {
  it("reports each hook's next() calls, including a second call", async () => {
    const double: Middleware = {
      onCallTool: async (_ctx, next) => {
        await next();
        return next().catch(() => ({ content: [{ type: "text", text: "second" }] }));
      },
      onListTools: async () => ({ tools: [] }),
    };
    const counts: number[] = [];
    const app = createServer({ name: "t", version: "1" }).use(
      countNextCalls(double, (n) => counts.push(n)),
    );
    app.tool("ok", { description: "ok" }, () => "ok");
    await using client = await createTestClient(app);
    await client.callToolRaw("ok", {});
    expect(await client.listTools()).toEqual([]);
    expect(counts).toEqual([2, 0]);
  });

  it("rejects a missing factory", () => {
    expect(() => testMiddleware("bad", undefined as never)).toThrow(/factory/);
  });
});
