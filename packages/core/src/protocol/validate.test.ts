import { JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkMessage } from "./validate.js";

// Values of every JSON kind plus the ones that matter to the rules (ids, "2.0", _meta).
const jsonValue = fc.oneof(
  fc.constant("2.0"),
  fc.constant("2"),
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double(),
  fc.constant(2 ** 60),
  fc.constant(null),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant({ _meta: { progressToken: 1 } }),
  fc.constant({ _meta: "x" }),
  fc.constant({ name: "echo", arguments: { text: "hi" } }),
);

const message = fc
  .record(
    {
      jsonrpc: fc.oneof(fc.constant("2.0"), jsonValue),
      id: fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), jsonValue),
      method: fc.oneof(
        fc.constantFrom("tools/call", "ping", "notifications/initialized"),
        jsonValue,
      ),
      params: fc.oneof(
        fc.dictionary(fc.constantFrom("name", "arguments", "_meta", "cursor"), jsonValue, {
          maxKeys: 3,
        }),
        jsonValue,
      ),
      result: fc.oneof(fc.constant({}), jsonValue),
      error: fc.oneof(fc.constant({ code: -1, message: "m" }), jsonValue),
      extra: jsonValue,
    },
    { requiredKeys: [] },
  )
  // as from JSON.parse: plain data, no undefined values
  .map((m) => JSON.parse(JSON.stringify(m)) as Record<string, unknown>);

describe("checkMessage", () => {
  it("accepts exactly what the SDK's JSONRPCMessageSchema accepts, with the same content", () => {
    fc.assert(
      fc.property(message, (value) => {
        const copy = structuredClone(value);
        const schema = JSONRPCMessageSchema.safeParse(copy);
        const checked = checkMessage(value);
        if (schema.success) expect(checked).toEqual({ ok: true, message: schema.data });
        else expect(checked.ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the common request and notification as they are", () => {
    const request = {
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "echo", arguments: { text: "hi" } },
    };
    expect(checkMessage(request)).toEqual({ ok: true, message: request });
    const note = { jsonrpc: "2.0", method: "notifications/initialized" };
    expect(checkMessage(note)).toEqual({ ok: true, message: note });
  });

  it("leaves extra keys, _meta, unsafe ids and responses to the schema", () => {
    const base = { jsonrpc: "2.0", id: 1, method: "ping" };
    expect(checkMessage({ ...base, extra: 1 }).ok).toBe(false);
    expect(checkMessage({ ...base, id: 2 ** 60 }).ok).toBe(false);
    expect(checkMessage({ ...base, id: 1.5 }).ok).toBe(false);
    expect(checkMessage({ ...base, params: { _meta: { progressToken: "p" } } })).toEqual({
      ok: true,
      message: { ...base, params: { _meta: { progressToken: "p" } } },
    });
    expect(checkMessage({ ...base, params: { _meta: { progressToken: 1.5 } } }).ok).toBe(false);
    expect(checkMessage({ jsonrpc: "2.0", id: 1, result: {} }).ok).toBe(true);
  });
});
