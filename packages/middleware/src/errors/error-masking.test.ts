import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type Context, createServer, McpForgeError, ToolError } from "@mcpforge/core";
import { createTestClient, testMiddleware, textOf } from "@mcpforge/testing";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { logging } from "../logging/logging.js";
import { memoryDestination, silentLogger } from "../test-utils/fixtures.js";
import { errorMasking } from "./error-masking.js";

testMiddleware("errorMasking", () => errorMasking({ onError: () => {} }));

const MASKED = /^Internal error \(correlation id: ([0-9a-f-]{36})\)$/;

class ValidationError extends Error {
  override readonly name = "ValidationError";
}

function maskedApp(options: Parameters<typeof errorMasking>[0] = {}) {
  const reported: { err: unknown; method: string; correlationId: string }[] = [];
  const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
    errorMasking({
      onError: (err, ctx: Context, correlationId) =>
        reported.push({ err, method: ctx.method, correlationId }),
      ...options,
    }),
  );
  app.tool("crash", { description: "Crashes" }, () => {
    throw new Error("db password is hunter2");
  });
  app.tool("refuse", { description: "ToolError" }, () => {
    throw new ToolError("quota exceeded for today");
  });
  app.tool("forbid", { description: "McpForgeError" }, () => {
    throw new McpForgeError("forbidden", "not your document");
  });
  app.tool("invalid", { description: "A domain error" }, () => {
    throw new ValidationError("date must be in the future");
  });
  app.tool("ok", { description: "Works" }, () => "fine");
  app.resource("memo://crash", { description: "Crashes" }, () => {
    throw new TypeError("cannot read properties of undefined (reading 'secretField')");
  });
  app.resource("memo://invalid", { description: "A domain error" }, () => {
    throw new ValidationError("bad memo id");
  });
  return { app, reported };
}

describe("errorMasking", () => {
  it("masks an unexpected tool error as an isError result with a correlation id", async () => {
    const { app, reported } = maskedApp();
    await using client = await createTestClient(app);
    const result = await client.callToolRaw("crash", {});
    expect(result.isError).toBe(true);
    const match = MASKED.exec(textOf(result));
    expect(match).not.toBeNull();
    expect(textOf(result)).not.toContain("hunter2");
    expect(reported).toHaveLength(1);
    expect((reported[0]?.err as Error).message).toBe("db password is hunter2");
    expect(reported[0]?.correlationId).toBe(match?.[1]);
  });

  it("masks other methods as a JSON-RPC internal error with the correlation id in data", async () => {
    const { app, reported } = maskedApp();
    await using client = await createTestClient(app);
    const err = (await client.readResource("memo://crash").catch((e: unknown) => e)) as McpError;
    expect(err).toBeInstanceOf(McpError);
    expect(err.code).toBe(-32603);
    expect(err.message).not.toContain("secretField");
    const id = (err.data as { correlationId: string }).correlationId;
    expect(err.message).toContain(`Internal error (correlation id: ${id})`);
    expect(reported.map((r) => [r.method, r.correlationId])).toEqual([["resources/read", id]]);
    expect(reported[0]?.err).toBeInstanceOf(TypeError);
  });

  it("passes ToolError and McpForgeError messages through, and reports them too", async () => {
    const { app, reported } = maskedApp();
    await using client = await createTestClient(app);
    expect(textOf(await client.callToolRaw("refuse", {}))).toBe("quota exceeded for today");
    const forbid = await client.callToolRaw("forbid", {});
    expect(forbid.isError).toBe(true);
    expect(textOf(forbid)).toBe("not your document");
    expect(reported.map((r) => (r.err as Error).message)).toEqual([
      "quota exceeded for today",
      "not your document",
    ]);
    expect(await client.callTool("ok")).toBe("fine");
  });

  it("keeps the JSON-RPC code of an McpForgeError thrown before the handler", async () => {
    const app = createServer({ name: "t", version: "1", logger: silentLogger })
      .use(errorMasking({ onError: () => {} }))
      .use({
        onCallTool: async () => {
          throw new McpForgeError("rate_limited", "slow down");
        },
      })
      .use({
        onListTools: async () => {
          throw new RangeError("internal detail");
        },
      });
    app.tool("ok", { description: "Works" }, () => "fine");
    await using client = await createTestClient(app);
    const limited = (await client.callToolRaw("ok", {}).catch((e: unknown) => e)) as McpError;
    expect(limited.code).toBe(-32029);
    expect(limited.message).toContain("slow down");
    const listed = (await client.listTools().catch((e: unknown) => e)) as McpError;
    expect(listed.code).toBe(-32603);
    expect(listed.message).toMatch(/Internal error \(correlation id: /);
    expect(listed.message).not.toContain("internal detail");
  });

  it("exposes what a custom expose() accepts, for tools and other methods", async () => {
    const { app } = maskedApp({ expose: (err) => err instanceof ValidationError });
    await using client = await createTestClient(app);
    const invalid = await client.callToolRaw("invalid", {});
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toBe("date must be in the future");
    await expect(client.readResource("memo://invalid")).rejects.toThrow(/bad memo id/);
    // expose() replaces the default: a ToolError is now masked too.
    expect(textOf(await client.callToolRaw("refuse", {}))).toMatch(MASKED);
    expect(textOf(await client.callToolRaw("crash", {}))).toMatch(MASKED);
  });

  it("survives a throwing expose() or onError()", async () => {
    const { app } = maskedApp({
      expose: () => {
        throw new Error("broken policy");
      },
      onError: () => {
        throw new Error("broken reporter");
      },
    });
    await using client = await createTestClient(app);
    expect(textOf(await client.callToolRaw("refuse", {}))).toMatch(MASKED);
    const err = (await client.readResource("memo://crash").catch((e: unknown) => e)) as McpError;
    expect(err.code).toBe(-32603);
  });

  it("uses the correlation id of the logging middleware", async () => {
    const dest = memoryDestination();
    const ids: string[] = [];
    const app = createServer({ name: "t", version: "1", logger: silentLogger })
      .use(errorMasking({ onError: (_e, _c, id) => ids.push(id) }))
      .use(logging({ destination: dest }));
    app.tool("crash", { description: "Crashes" }, () => {
      throw new Error("boom");
    });
    await using client = await createTestClient(app);
    const text = textOf(await client.callToolRaw("crash", {}));
    const id = MASKED.exec(text)?.[1];
    expect(id).toBeDefined();
    expect(ids).toEqual([id]);
    expect(dest.lines[0]).toMatchObject({ correlationId: id, outcome: "error" });
    expect(dest.lines[0]?.error).toMatchObject({ message: "boom" });
  });

  it("validates its options", () => {
    expect(() => errorMasking({ expose: true as never })).toThrow(
      /^@mcpforge\/middleware: errorMasking\(\): expose must be a function/,
    );
    expect(() => errorMasking({ onError: "log" as never })).toThrow(/onError/);
    expect(() => errorMasking(null as never)).toThrow(/options must be an object/);
  });
});

describe("errorMasking default reporter", () => {
  it("writes masked errors with their stack to stderr as one JSON line (real child process)", async () => {
    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    const fixture = fileURLToPath(
      new URL("../test-utils/error-masking-stderr.ts", import.meta.url),
    );
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>(
      (resolve, reject) => {
        execFile(
          process.execPath,
          ["--conditions=@mcpforge/source", tsx, fixture],
          { timeout: 15_000 },
          (err, out, errOut) => (err ? reject(err) : resolve({ stdout: out, stderr: errOut })),
        );
      },
    );
    const { text } = JSON.parse(stdout) as { text: string };
    const id = MASKED.exec(text)?.[1];
    expect(id).toBeDefined();
    expect(text).not.toContain("secret detail");
    const line = stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.correlationId === id);
    expect(line).toMatchObject({
      level: "error",
      name: "@mcpforge/middleware/errors",
      msg: "unhandled error",
      method: "tools/call",
      component: "crash",
      error: { name: "Error", message: "secret detail" },
    });
    expect((line?.error as { stack: string }).stack).toContain("error-masking-stderr.ts");
  });
});
