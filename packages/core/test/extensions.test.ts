import type { McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { createServer } from "../src/index.js";
import { connect } from "./helpers.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const anyResult = z.looseObject({});

function app() {
  return createServer({ name: "ext", version: "1.0.0", logger: silent });
}

async function errorOf(p: Promise<unknown>): Promise<McpError> {
  try {
    await p;
  } catch (err) {
    return err as McpError;
  }
  throw new Error("expected a rejection");
}

describe("app.extension(): capabilities.extensions (SEP-2133)", () => {
  it("declares an entry in the initialize result; none means no extensions key", async () => {
    const plain = await connect(app());
    expect(plain.client.getServerCapabilities()?.extensions).toBeUndefined();

    const a = app();
    a.extension("com.example/audit", { version: 2, modes: ["a"] });
    a.extension("io.modelcontextprotocol/ui");
    const { client } = await connect(a);
    expect(client.getServerCapabilities()?.extensions).toEqual({
      "com.example/audit": { version: 2, modes: ["a"] },
      "io.modelcontextprotocol/ui": {},
    });
    expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
  });

  it("removing an entry takes it out of later initialize results", async () => {
    const a = app();
    const reg = a.extension("com.example/audit", {});
    expect(reg.name).toBe("com.example/audit");
    expect(reg.remove()).toBe(true);
    expect(reg.remove()).toBe(false);
    const { client } = await connect(a);
    expect(client.getServerCapabilities()?.extensions).toBeUndefined();
  });

  it("refuses malformed identifiers, non-object settings and duplicates", () => {
    const a = app();
    expect(() => a.extension("audit", {})).toThrow(/not an extension identifier/);
    expect(() => a.extension("example/audit", {})).toThrow(/not an extension identifier/);
    expect(() => a.extension("com.example/", {})).toThrow(/not an extension identifier/);
    expect(() => a.extension("com.example/x", null as never)).toThrow(/must be a JSON object/);
    expect(() => a.extension("com.example/x", [] as never)).toThrow(/must be a JSON object/);
    expect(() => a.extension("com.example/x", { n: 1n } as never)).toThrow(/are not JSON/);
    a.extension("com.example/x", {});
    expect(() => a.extension("com.example/x", {})).toThrow(/already declared/);
  });
});

describe("app.method(): custom JSON-RPC methods", () => {
  it("answers with the handler's object; params are validated (without _meta)", async () => {
    const a = app();
    a.method(
      "com.example/sum",
      { params: { a: z.number(), b: z.number() } },
      ({ a: x, b: y }, ctx) => ({ sum: x + y, method: ctx.method }),
    );
    a.method("com.example/nothing", {}, () => undefined);
    const { client } = await connect(a);
    const result = await client.request(
      { method: "com.example/sum", params: { a: 2, b: 3, _meta: { progressToken: 1 } } },
      anyResult,
    );
    expect(result).toEqual({ sum: 5, method: "com.example/sum" });
    expect(await client.request({ method: "com.example/nothing" }, anyResult)).toEqual({});
    const bad = await errorOf(
      client.request({ method: "com.example/sum", params: { a: "x" } }, anyResult),
    );
    expect(bad.code).toBe(-32602);
    expect(bad.message).toMatch(/Invalid params for com\.example\/sum: a: .*; b: is required/);
  });

  it("runs through onRequest hooks and plain middleware, which may refuse it", async () => {
    const a = app();
    const seen: string[] = [];
    a.use(async (ctx, next) => {
      seen.push(`fn:${ctx.method}`);
      return next();
    });
    a.use({
      onRequest: async (ctx, next) => {
        seen.push(`onRequest:${ctx.method}`);
        if (ctx.params.deny === true) throw new Error("denied by middleware");
        const result = (await next()) as Record<string, unknown>;
        return { ...result, wrapped: true };
      },
      onCallTool: async (_ctx, next) => {
        seen.push("onCallTool");
        return next();
      },
    });
    a.method("com.example/ping", {}, () => ({ pong: true }));
    const { client } = await connect(a);
    expect(await client.request({ method: "com.example/ping" }, anyResult)).toEqual({
      pong: true,
      wrapped: true,
    });
    expect(seen).toEqual(["fn:com.example/ping", "onRequest:com.example/ping"]);
    const err = await errorOf(
      client.request({ method: "com.example/ping", params: { deny: true } }, anyResult),
    );
    expect(err.code).toBe(-32603); // masked: a plain Error from middleware
    expect(err.message).not.toContain("denied by middleware");
  });

  it("refuses names that shadow MCP methods or an existing method", () => {
    const a = app();
    for (const name of [
      "tools/call",
      "tools/anything",
      "resources/read",
      "prompts/get",
      "completion/complete",
      "logging/setLevel",
      "notifications/initialized",
      "sampling/createMessage",
      "elicitation/create",
      "roots/list",
      "tasks/get",
      "initialize",
      "ping",
      "rpc.discover",
      "",
      "has space",
    ]) {
      expect(() => a.method(name, {}, () => ({})), name).toThrow(/cannot register/);
    }
    a.method("com.example/x", {}, () => ({}));
    expect(() => a.method("com.example/x", {}, () => ({}))).toThrow(/already registered/);
  });

  it("unregisters: the method is then not found, and can be registered again", async () => {
    const a = app();
    const reg = a.method("com.example/x", {}, () => ({ v: 1 }));
    const { client } = await connect(a);
    expect(await client.request({ method: "com.example/x" }, anyResult)).toEqual({ v: 1 });
    expect(reg.remove()).toBe(true);
    expect(reg.remove()).toBe(false);
    const err = await errorOf(client.request({ method: "com.example/x" }, anyResult));
    expect(err.code).toBe(-32601);
    a.method("com.example/x", {}, () => ({ v: 2 }));
    expect(reg.remove()).toBe(false); // the old handle does not remove the new method
    expect(await client.request({ method: "com.example/x" }, anyResult)).toEqual({ v: 2 });
  });

  it("a non-object result is a masked internal error; Object.prototype names are not methods", async () => {
    const a = app();
    a.method("com.example/bad", {}, () => 42 as never);
    a.method("toString", {}, () => ({ mine: true }));
    const { client } = await connect(a);
    expect((await errorOf(client.request({ method: "com.example/bad" }, anyResult))).code).toBe(
      -32603,
    );
    expect(await client.request({ method: "toString" }, anyResult)).toEqual({ mine: true });
    const missing = await errorOf(client.request({ method: "constructor" }, anyResult));
    expect(missing.code).toBe(-32601);
  });
});
