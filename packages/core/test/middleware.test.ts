import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { becomesToolError, compose } from "../src/authoring.js";
import { createServer, McpForgeError, type MiddlewareHooks } from "../src/index.js";
import { connect, until } from "./helpers.js";

describe("compose", () => {
  it("runs middleware as an onion and rejects a second next()", async () => {
    const order: string[] = [];
    const run = compose([
      async (_ctx, next) => {
        order.push("a-in");
        const r = await next();
        order.push("a-out");
        return r;
      },
      async (_ctx, next) => {
        order.push("b-in");
        const r = await next();
        order.push("b-out");
        return r;
      },
    ]);
    const result = await run({} as never, async () => {
      order.push("handler");
      return 7;
    });
    expect(result).toBe(7);
    expect(order).toEqual(["a-in", "b-in", "handler", "b-out", "a-out"]);
    const twice = compose([
      async (_ctx, next) => {
        await next();
        return next();
      },
    ]);
    await expect(twice({} as never, async () => 1)).rejects.toThrow("next() called multiple times");
  });
});

describe("app middleware", () => {
  it("adds typed ctx.var values, per-operation hooks, short-circuits and result rewriting", async () => {
    const seen: string[] = [];
    const timing: MiddlewareHooks<{ startedAt: number }> = {
      name: "timing",
      onRequest: async (ctx, next) => {
        ctx.var.startedAt = 123;
        seen.push(`req:${ctx.method}`);
        return next();
      },
      onCallTool: async (ctx, next) => {
        seen.push(`call:${ctx.component?.name ?? "?"}`);
        if (ctx.params.name === "blocked") {
          throw new McpForgeError("forbidden", "blocked by policy");
        }
        return next();
      },
      onListTools: async (_ctx, next) => {
        const r = (await next()) as { tools: { name: string }[] };
        return { ...r, tools: r.tools.filter((t) => t.name !== "hidden") };
      },
    };
    const app = createServer({ name: "t", version: "1" }).use(timing);
    app.tool("when", { input: { x: z.number().optional() } }, (_a, ctx) => ({
      startedAt: ctx.var.startedAt,
    }));
    app.tool("hidden", {}, () => "");
    app.tool("blocked", {}, () => "never");
    const { client } = await connect(app);
    expect((await client.callTool({ name: "when", arguments: {} })).structuredContent).toEqual({
      startedAt: 123,
    });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["when", "blocked"]);
    const err = (await client
      .callTool({ name: "blocked", arguments: {} })
      .catch((e: unknown) => e)) as McpError;
    expect(err).toBeInstanceOf(McpError);
    expect(err.code).toBe(-32003);
    expect(seen).toEqual([
      "req:tools/call",
      "call:when",
      "req:tools/list",
      "req:tools/call",
      "call:blocked",
    ]);
  });

  it("masks unexpected middleware errors as -32603 with a correlation id", async () => {
    const app = createServer({ name: "t", version: "1", logger: silent() });
    app.use(async () => {
      throw new Error("internal detail /etc/x");
    });
    const { client } = await connect(app);
    const err = (await client.listTools().catch((e: unknown) => e)) as McpError;
    expect(err.code).toBe(-32603);
    expect(err.message).not.toContain("/etc/x");
    expect(err.message).toContain("correlation id");
  });

  it("sees client notifications through onNotification", async () => {
    const got: string[] = [];
    const app = createServer({ name: "t", version: "1" });
    app.use({
      onNotification: async (info, next) => {
        got.push(info.method);
        await next();
      },
    });
    const { client } = await connect(app, { roots: [] });
    await client.sendRootsListChanged();
    await until(() => got.includes("notifications/roots/list_changed"));
    expect(got).toContain("notifications/initialized");
  });
});

function silent() {
  const noop = () => {};
  return { debug: noop, info: noop, warn: noop, error: noop };
}

/** A quiet app whose outermost middleware records `becomesToolError` of every failure, by tool. */
function recordingToolErrors() {
  const app = createServer({ name: "t", version: "1", logger: silent() });
  const seen: Record<string, boolean> = {};
  app.use(async (ctx, next) => {
    try {
      return await next();
    } catch (err) {
      seen[String(ctx.params.name ?? ctx.method)] = becomesToolError(ctx, err);
      throw err;
    }
  });
  return { app, seen };
}

describe("becomesToolError", () => {
  it("tells middleware which thrown failures reach the client as isError results", async () => {
    const { app, seen } = recordingToolErrors();
    app.use({
      onCallTool: (ctx, next) => {
        if (ctx.params.name === "guarded") throw new McpForgeError("forbidden", "no");
        return next();
      },
    });
    app.tool("boom", {}, () => {
      throw new Error("handler failed");
    });
    app.tool("guarded", {}, () => "never");
    app.tool("typed", { output: z.object({ n: z.number() }) }, () => ({ n: "x" }) as never);
    const { client } = await connect(app);
    const boom = await client.callTool({ name: "boom", arguments: {} });
    expect(boom.isError).toBe(true);
    await expect(client.callTool({ name: "guarded", arguments: {} })).rejects.toThrow(/no/);
    await expect(client.callTool({ name: "missing", arguments: {} })).rejects.toThrow(
      /Unknown tool/,
    );
    await expect(client.callTool({ name: "typed", arguments: {} })).rejects.toThrow(
      /output schema/,
    );
    expect(seen).toEqual({ boom: true, guarded: false, missing: false, typed: false });
  });
});

describe("tool results that are not native promises", () => {
  it("awaits a handler's thenable (its value, or its failure as an isError result); a plain value needs no await", async () => {
    const { app, seen } = recordingToolErrors();
    const thenable = (settle: (ok: (v: string) => void, fail: (e: Error) => void) => void) => ({
      // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is the point here
      then(ok: (v: string) => void, fail: (e: Error) => void) {
        settle(ok, fail);
      },
    });
    app.tool(
      "later",
      {},
      () => thenable((ok) => setTimeout(() => ok("from a thenable"), 5)) as never,
    );
    app.tool(
      "fails",
      {},
      () => thenable((_ok, fail) => fail(new Error("thenable failed"))) as never,
    );
    app.tool("plain", {}, () => "at once");
    const { client } = await connect(app);
    const text = async (name: string) => {
      const r = await client.callTool({ name, arguments: {} });
      return { isError: r.isError === true, text: (r.content as { text: string }[])[0]?.text };
    };
    expect(await text("later")).toEqual({ isError: false, text: "from a thenable" });
    expect((await text("fails")).isError).toBe(true);
    expect(await text("plain")).toEqual({ isError: false, text: "at once" });
    expect(seen).toEqual({ fails: true });
    // anything that is not a request's context never counts as a started tool handler
    expect(becomesToolError({ method: "tools/call" } as never, new Error("x"))).toBe(false);
  });
});

describe("middleware with HTTP parts", () => {
  it("registers onHttpRequest hooks and runs setup() once from app.use()", async () => {
    let setups = 0;
    const app = createServer({ name: "t", version: "1" });
    app.use({
      name: "gate",
      setup: (a) => {
        setups++;
        a.declareAuthentication();
        a.route("GET", "/.well-known/test", (_req, res) => res.end("meta"));
      },
      onHttpRequest: (req, res) => {
        if (req.headers.authorization !== "Bearer ok") {
          res.writeHead(401).end();
          return true;
        }
        return undefined;
      },
    });
    expect(setups).toBe(1);
    expect(app.authenticated).toBe(true);
    const http = await app.listen({ port: 0, mode: "stateless" });
    try {
      const post = (auth?: string) =>
        fetch(http.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
            ...(auth ? { authorization: auth } : {}),
          },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
        });
      expect((await post()).status).toBe(401);
      expect((await post("Bearer ok")).status).toBe(200);
      const meta = await fetch(http.url.replace("/mcp", "/.well-known/test"));
      expect(await meta.text()).toBe("meta");
    } finally {
      await http.close();
    }
  });
});

describe("SetupApi session hooks", () => {
  it("reports sessions opening and closing, with their duration", async () => {
    const app = createServer({ name: "t", version: "1" });
    const events: string[] = [];
    let lasted = -1;
    app.use({
      setup(api) {
        api.onSessionOpen((s) => events.push(`open ${s.transport}`));
        api.onSessionClose((s, ms) => {
          events.push(`close ${s.transport}`);
          lasted = ms;
        });
      },
    });
    const http = await app.listen({ port: 0 });
    try {
      const client = new Client({ name: "c", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      expect(events).toEqual(["open http"]);
      await client.close();
      await http.handler.closeSession([...app.sessions.keys()][0] ?? "");
      expect(events).toEqual(["open http", "close http"]);
      expect(lasted).toBeGreaterThanOrEqual(0);
    } finally {
      await http.close();
    }
  });
});
