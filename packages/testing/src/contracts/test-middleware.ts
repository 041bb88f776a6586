import {
  createServer,
  jsonSchema,
  type McpForgeApp,
  type Middleware,
  type MiddlewareFn,
  type MiddlewareHooks,
  type ServerLogger,
  ToolError,
  type Vars,
} from "@mcpforge/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { vitestFor } from "../internal/suite.js";
import { createTestClient, type TestClient, textOf } from "../test-client.js";

/** Options of {@link testMiddleware}. */
export interface TestMiddlewareOptions {
  /** How long one answer may take before the suite calls it a hang (default 5000 ms). */
  deadlineMs?: number;
  /** How many tool calls the concurrency check sends at once (default 20). */
  concurrentCalls?: number;
}

const REQUEST_HOOKS = [
  "onRequest",
  "onCallTool",
  "onListTools",
  "onReadResource",
  "onListResources",
  "onListResourceTemplates",
  "onGetPrompt",
  "onListPrompts",
  "onComplete",
] as const;

const silentLogger: ServerLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** The fixture server every middleware is tested against (optionally with the middleware). */
function fixtureApp(middleware?: Middleware): McpForgeApp {
  const app = createServer({ name: "contract", version: "1.0.0", logger: silentLogger });
  if (middleware) app.use(middleware);
  app.tool(
    "echo",
    {
      description: "Echoes text as structured content",
      input: jsonSchema<{ text: string }>({
        type: "object",
        properties: { text: { type: "string" } },
        required: ["text"],
      }),
    },
    ({ text }) => ({ echoed: text }),
  );
  app.tool(
    "add",
    {
      description: "Adds two numbers",
      input: jsonSchema<{ a: number; b: number }>({
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
      }),
    },
    ({ a, b }) => String(a + b),
  );
  app.tool(
    "slow_echo",
    {
      description: "Echoes text after a short wait",
      input: jsonSchema<{ text: string }>({
        type: "object",
        properties: { text: { type: "string" } },
        required: ["text"],
      }),
    },
    async ({ text }) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return text;
    },
  );
  app.tool("tool_error", { description: "Fails with a ToolError" }, () => {
    throw new ToolError("expected failure: the input was rejected");
  });
  app.tool("crash", { description: "Throws an unexpected error" }, () => {
    throw new Error("handler exploded");
  });
  app.resource("contract://static", { description: "A static resource" }, () => "static text");
  app.resource(
    "contract://items/{id}",
    { description: "A templated resource" },
    ({ id }) => `item ${String(id)}`,
  );
  app.resource("contract://broken", { description: "A failing resource" }, () => {
    throw new Error("resource exploded");
  });
  app.prompt("greet", { description: "A greeting" }, () => "Hello from the contract suite");
  app.prompt("broken_prompt", { description: "A failing prompt" }, () => {
    throw new Error("prompt exploded");
  });
  return app;
}

/** Rejects when `promise` has not settled within `ms`: the request hung. */
function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HangError(`No answer to ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

class HangError extends Error {
  override readonly name = "HangError";
}

/** The outcome of a request that must be answered: a result, or an error the server sent. */
async function answered<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await withDeadline(promise, ms, what) };
  } catch (error) {
    if (error instanceof HangError) throw error;
    return { ok: false, error };
  }
}

/** Whether an error is a JSON-RPC error answer from the server (not a client-side failure). */
function isServerAnswer(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    error instanceof Error &&
    typeof code === "number" &&
    // The SDK client's own request timeout (-32001 RequestTimeout) is not an answer.
    !/Request timed out/i.test(error.message)
  );
}

/**
 * Wraps a middleware so every hook reports how often it called `next()`.
 *
 * @example
 * const counts: number[] = [];
 * const passThrough: Middleware = (_ctx, next) => next();
 * app.use(countNextCalls(passThrough, (n) => counts.push(n))); // counts: [1, 1, …]
 */
export function countNextCalls(
  middleware: Middleware,
  record: (calls: number) => void,
): Middleware {
  const wrap =
    (fn: MiddlewareFn, self: unknown): MiddlewareFn =>
    async (ctx, next) => {
      let calls = 0;
      try {
        return await fn.call(self, ctx, () => {
          calls++;
          return next();
        });
      } finally {
        record(calls);
      }
    };
  if (typeof middleware === "function") return wrap(middleware, undefined);
  const out: MiddlewareHooks = { ...middleware };
  for (const hook of REQUEST_HOOKS) {
    const fn = middleware[hook];
    if (typeof fn === "function") out[hook] = wrap(fn as MiddlewareFn, middleware);
  }
  const onNotification = middleware.onNotification;
  if (typeof onNotification === "function") {
    out.onNotification = async (info, next) => {
      let calls = 0;
      try {
        return await onNotification.call(middleware, info, () => {
          calls++;
          return next();
        });
      } finally {
        record(calls);
      }
    };
  }
  return out;
}

function hasRequestHooks(middleware: Middleware): boolean {
  return (
    typeof middleware === "function" ||
    REQUEST_HOOKS.some((hook) => typeof middleware[hook] === "function")
  );
}

/** Everything comparable a client sees of the fixture app's successful operations. */
async function successfulOperations(client: TestClient, ms: number) {
  const call = (name: string, args: Record<string, unknown>) =>
    withDeadline(client.callToolRaw(name, args), ms, `tools/call ${name}`);
  return {
    echo: await call("echo", { text: "héllo" }),
    add: await call("add", { a: 2, b: 40 }),
    slow: await call("slow_echo", { text: "later" }),
    staticResource: await withDeadline(
      client.readResource("contract://static"),
      ms,
      "resources/read",
    ),
    templated: await withDeadline(client.readResource("contract://items/7"), ms, "resources/read"),
    prompt: await withDeadline(client.getPrompt("greet"), ms, "prompts/get"),
  };
}

async function lists(client: TestClient, ms: number) {
  return {
    tools: await withDeadline(client.listTools(), ms, "tools/list"),
    resources: await withDeadline(client.listResources(), ms, "resources/list"),
    templates: await withDeadline(client.listResourceTemplates(), ms, "resources/templates/list"),
    prompts: await withDeadline(client.listPrompts(), ms, "prompts/list"),
  };
}

/**
 * The contract every MCP Forge middleware must pass, as a vitest suite: with the middleware
 * installed, normal calls give the same results as without it, list operations work, a
 * `ToolError` still arrives as an `isError` result, failing handlers still get an answer (no
 * hang), each hook calls `next()` at most once, and concurrent calls are all answered.
 * `factory` must build a fresh middleware each time it is called.
 *
 * @example
 * // stamp.test.ts
 * import type { Middleware } from "@mcpforge/core";
 * import { testMiddleware } from "@mcpforge/testing";
 * const stamp = (): Middleware => async (ctx, next) => {
 *   const result = await next();
 *   console.error(`${ctx.method} answered`);
 *   return result;
 * };
 * testMiddleware("stamp", () => stamp());
 */
export function testMiddleware<V extends Vars = Vars>(
  name: string,
  factory: () => Middleware<V>,
  options: TestMiddlewareOptions = {},
): void {
  if (typeof factory !== "function") {
    throw new Error("@mcpforge/testing: testMiddleware() needs a factory function");
  }
  const { describe, expect, it } = vitestFor("testMiddleware");
  // A middleware declaring ctx.var fields is still a Middleware for the fixture app.
  const make = factory as () => Middleware;
  const ms = options.deadlineMs ?? 5000;
  const concurrent = options.concurrentCalls ?? 20;

  describe(`middleware contract: ${name}`, () => {
    it("normal calls still succeed with the same results", async () => {
      await using baseline = await createTestClient(fixtureApp());
      await using client = await createTestClient(fixtureApp(make()));
      const expected = await successfulOperations(baseline, ms);
      const actual = await successfulOperations(client, ms);
      expect(actual).toEqual(expected);
      expect(actual.echo.structuredContent).toEqual({ echoed: "héllo" });
      expect(textOf(actual.add)).toBe("42");
    });

    it("list operations still work", async () => {
      await using baseline = await createTestClient(fixtureApp());
      await using client = await createTestClient(fixtureApp(make()));
      const actual = await lists(client, ms);
      expect(actual).toEqual(await lists(baseline, ms));
      expect(actual.tools.map((t) => t.name)).toContain("echo");
    });

    it("a ToolError still arrives as an isError result with its message", async () => {
      await using client = await createTestClient(fixtureApp(make()));
      const result = await withDeadline(
        client.callToolRaw("tool_error", {}),
        ms,
        "tools/call tool_error",
      );
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain("expected failure: the input was rejected");
    });

    it("failing handlers and unknown names still get an answer (no hang)", async () => {
      await using client = await createTestClient(fixtureApp(make()));
      const crash = await answered(client.callToolRaw("crash", {}), ms, "tools/call crash");
      if (crash.ok) expect((crash.value as CallToolResult).isError).toBe(true);
      else expect(isServerAnswer(crash.error)).toBe(true);
      const outcomes = [
        await answered(client.callToolRaw("no_such_tool", {}), ms, "tools/call no_such_tool"),
        await answered(client.readResource("contract://broken"), ms, "resources/read broken"),
        await answered(client.getPrompt("broken_prompt"), ms, "prompts/get broken_prompt"),
        await answered(client.readResource("contract://missing"), ms, "resources/read missing"),
      ];
      const [unknownTool, ...rest] = outcomes;
      if (unknownTool?.ok) expect((unknownTool.value as CallToolResult).isError).toBe(true);
      else expect(isServerAnswer(unknownTool?.error)).toBe(true);
      for (const outcome of rest) {
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(isServerAnswer(outcome.error)).toBe(true);
      }
      // The session still works afterwards.
      const after = await withDeadline(
        client.callToolRaw("add", { a: 1, b: 1 }),
        ms,
        "tools/call add",
      );
      expect(textOf(after)).toBe("2");
    });

    it("calls next() at most once per request", async () => {
      const counts: number[] = [];
      const middleware = make();
      await using client = await createTestClient(
        fixtureApp(countNextCalls(middleware, (n) => counts.push(n))),
      );
      await successfulOperations(client, ms);
      await lists(client, ms);
      await answered(client.callToolRaw("tool_error", {}), ms, "tools/call tool_error");
      await answered(client.callToolRaw("crash", {}), ms, "tools/call crash");
      await answered(client.readResource("contract://broken"), ms, "resources/read broken");
      await answered(client.getPrompt("broken_prompt"), ms, "prompts/get broken_prompt");
      if (hasRequestHooks(middleware)) expect(counts.length).toBeGreaterThan(0);
      expect(counts.filter((n) => n > 1)).toEqual([]);
    });

    it(`answers ${concurrent} concurrent calls, each with its own result`, async () => {
      await using client = await createTestClient(fixtureApp(make()));
      const texts = Array.from({ length: concurrent }, (_v, i) => `call-${i}`);
      const outcomes = await Promise.all(
        texts.map((text) =>
          answered(client.callToolRaw("slow_echo", { text }), ms, `concurrent call ${text}`),
        ),
      );
      expect(outcomes).toHaveLength(concurrent);
      outcomes.forEach((outcome, i) => {
        if (outcome.ok) {
          const result = outcome.value as CallToolResult;
          if (!result.isError) expect(textOf(result)).toBe(texts[i]);
        } else {
          expect(isServerAnswer(outcome.error)).toBe(true);
        }
      });
    });
  });
}
