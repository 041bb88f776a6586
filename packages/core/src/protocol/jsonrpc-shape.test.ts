import {
  JSONRPCMessageSchema,
  LATEST_PROTOCOL_VERSION,
  McpError,
  SUPPORTED_PROTOCOL_VERSIONS,
  isInitializeRequest as sdkIsInitializeRequest,
  UrlElicitationRequiredError,
} from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSdkMcpError } from "../errors/sdk-error.js";
import { isInitializeRequest } from "./initialize.js";
import { asJsonRpcMessage } from "./jsonrpc-shape.js";
import { isSupportedVersion, LATEST_VERSION } from "./version.js";

const RELATED = "io.modelcontextprotocol/related-task";

/** What the SDK's schema makes of a value: the parsed message, or undefined. */
function bySdk(value: unknown): unknown {
  const parsed = JSONRPCMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

// Mostly valid values with a few close to the edge of each rule: ids of every kind, `_meta`
// right and wrong, extra keys; messages of each kind built from them.
const validId = fc.oneof(fc.string({ maxLength: 3 }), fc.integer());
const badId = fc.constantFrom(1.5, -0, Number.MAX_SAFE_INTEGER + 1, Number.NaN, null, true, {});
const id = fc.oneof({ arbitrary: validId, weight: 4 }, { arbitrary: badId, weight: 1 });
const task = fc.oneof(
  { arbitrary: fc.record({ taskId: fc.string() }), weight: 3 },
  {
    arbitrary: fc.record({ taskId: fc.oneof(fc.string(), fc.integer()), extra: fc.integer() }),
    weight: 1,
  },
  { arbitrary: fc.constantFrom(null, [], "t", {}), weight: 1 },
);
const meta = fc.oneof(
  {
    arbitrary: fc.record(
      { progressToken: id, [RELATED]: task, other: fc.integer() },
      { requiredKeys: [] },
    ),
    weight: 4,
  },
  { arbitrary: fc.constantFrom(undefined, null, [], "x"), weight: 1 },
);
const holder = fc.oneof(
  { arbitrary: fc.record({ _meta: meta, name: fc.string() }, { requiredKeys: [] }), weight: 4 },
  { arbitrary: fc.constantFrom(undefined, null, [], 1), weight: 1 },
);
const errorObject = fc.oneof(
  {
    arbitrary: fc.record(
      {
        code: id,
        message: fc.oneof(fc.string(), fc.integer()),
        data: fc.anything({ maxDepth: 1 }),
        extra: fc.integer(),
      },
      { requiredKeys: ["code", "message"] },
    ),
    weight: 4,
  },
  { arbitrary: fc.constantFrom(undefined, null, [], "e"), weight: 1 },
);
const jsonrpc = fc.oneof(
  { arbitrary: fc.constant("2.0"), weight: 6 },
  { arbitrary: fc.constantFrom("1.0", 2, undefined), weight: 1 },
);
const method = fc.oneof(
  { arbitrary: fc.constantFrom("tools/call", "ping"), weight: 6 },
  { arbitrary: fc.constant(5), weight: 1 },
);
/** One of the four kinds, sometimes with a key of another kind or an unknown key added. */
const message = fc
  .tuple(
    fc.oneof(
      fc.record(
        { jsonrpc, id, method, params: holder },
        { requiredKeys: ["jsonrpc", "id", "method"] },
      ),
      fc.record({ jsonrpc, method, params: holder }, { requiredKeys: ["jsonrpc", "method"] }),
      fc.record({ jsonrpc, id, result: holder }, { requiredKeys: ["jsonrpc", "id", "result"] }),
      fc.record({ jsonrpc, id, error: errorObject }, { requiredKeys: ["jsonrpc", "error"] }),
    ),
    fc.option(fc.constantFrom("id", "method", "result", "error", "extra"), { freq: 4 }),
    fc.constantFrom(undefined, 1, {}),
  )
  .map(([m, key, value]) => (key === null ? m : { ...m, [key]: value }));

describe("asJsonRpcMessage", () => {
  it("accepts and hands on exactly what the SDK's JSONRPCMessageSchema does", () => {
    fc.assert(
      fc.property(fc.oneof(message, fc.anything({ maxDepth: 2 })), (value) => {
        expect(asJsonRpcMessage(value)).toEqual(bySdk(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it("accepts the messages a session exchanges, as they are", () => {
    const samples = [
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: {} } },
      { jsonrpc: "2.0", id: "a", method: "ping" },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 7, result: { content: [] } },
      { jsonrpc: "2.0", id: 7, error: { code: -32602, message: "bad", data: { field: "x" } } },
      { jsonrpc: "2.0", id: 1, method: "x", params: { _meta: { progressToken: "t" } } },
    ];
    for (const sample of samples) {
      expect(asJsonRpcMessage(sample)).toBe(sample);
      expect(bySdk(sample)).toEqual(sample);
    }
  });

  it("refuses what JSON-RPC 2.0 and MCP refuse", () => {
    const refused = [
      { jsonrpc: "2.0", id: 1.5, method: "ping" },
      { jsonrpc: "2.0", id: null, method: "ping" },
      { jsonrpc: "2.0", id: 1, method: "ping", extra: undefined },
      { jsonrpc: "2.0", id: 1, method: "ping", params: [] },
      { jsonrpc: "2.0", id: 1, method: "ping", params: { _meta: { progressToken: 0.5 } } },
      { jsonrpc: "2.0", id: 1, result: [] },
      { jsonrpc: "2.0", id: 1, method: "x", params: { _meta: { [RELATED]: { taskId: 1 } } } },
      { jsonrpc: "2.0", id: null, error: { code: 1, message: "x" } },
      { jsonrpc: "1.0", id: 1, method: "ping" },
    ];
    for (const value of refused) {
      expect(asJsonRpcMessage(value)).toBeUndefined();
      expect(bySdk(value)).toBeUndefined();
    }
  });

  it("drops unknown keys of an error object, as the SDK's schema does", () => {
    const value = { jsonrpc: "2.0", id: 1, error: { code: 1, message: "x", stack: "…" } };
    expect(asJsonRpcMessage(value)).toEqual({
      jsonrpc: "2.0",
      id: 1,
      error: { code: 1, message: "x" },
    });
  });
});

describe("what core keeps instead of loading the SDK's types.js", () => {
  it("speaks the SDK's protocol revisions", () => {
    expect(LATEST_VERSION).toBe(LATEST_PROTOCOL_VERSION);
    for (const v of SUPPORTED_PROTOCOL_VERSIONS) expect(isSupportedVersion(v)).toBe(true);
    expect(isSupportedVersion("2025-01-01")).toBe(false);
  });

  it("recognises the SDK's McpError and its subclasses, and nothing else", () => {
    expect(isSdkMcpError(new McpError(-32602, "bad"))).toBe(true);
    expect(isSdkMcpError(new UrlElicitationRequiredError([]))).toBe(true);
    expect(isSdkMcpError(new Error("bad"))).toBe(false);
    expect(isSdkMcpError({ name: "McpError", code: 1, message: "not an Error" })).toBe(false);
  });

  it("checks an initialize with the SDK's own schema, and anything else at once", async () => {
    const ping = { jsonrpc: "2.0" as const, id: 1, method: "ping" };
    expect(isInitializeRequest(ping)).toBe(false);
    const params = {
      protocolVersion: "2025-06-18",
      capabilities: { sampling: {} },
      clientInfo: { name: "c", version: "1" },
    };
    for (const candidate of [
      { jsonrpc: "2.0" as const, id: 1, method: "initialize", params },
      {
        jsonrpc: "2.0" as const,
        id: 1,
        method: "initialize",
        params: { ...params, capabilities: { sampling: true } },
      },
      {
        jsonrpc: "2.0" as const,
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18" },
      },
    ]) {
      expect(await isInitializeRequest(candidate)).toBe(sdkIsInitializeRequest(candidate));
    }
  });
});
