import { describe, expect, it } from "vitest";
import { flat, MemberRun, memberJson, quote, thousandthsJson, valueJson } from "./json-text.js";

/** The members as `JSON.stringify` writes them inside an object: `,"key":value…`, or "". */
function stringified(members: Record<string, unknown>): string {
  const json = JSON.stringify(members);
  return json.length > 2 ? `,${json.slice(1, -1)}` : "";
}

const STRINGS = [
  "tools/call",
  "",
  'say "hi" \\ there',
  "tab\t newline\n nul\u0000 del\u007f",
  "caf\u00e9 \u65e5\u672c \ud83c\udf89 \u2028\u2029",
  "\\ud800 (a backslash, not a surrogate)",
];
const NUMBERS = [0, -0, 7, 1.234, 1e21, 1e-7, -5.5, Number.NaN, Number.POSITIVE_INFINITY];

describe("valueJson / memberJson", () => {
  it("write strings and numbers as JSON.stringify writes them as members", () => {
    for (const value of [...STRINGS, ...NUMBERS, undefined]) {
      const text = memberJson(',"requestId":', value);
      if (typeof value === "string" && JSON.stringify(value).includes("\\ud")) {
        expect(text).toBeNull(); // left to pino, as any line whose JSON holds "\ud"
      } else {
        expect(text).toBe(stringified({ requestId: value }));
      }
    }
    for (const text of STRINGS) expect(quote(text)).toBe(JSON.stringify(text));
  });

  it("leave lone surrogates and values of other types to pino (null)", () => {
    expect(valueJson("a\uD800b")).toBeNull();
    expect(valueJson("\uDC00")).toBeNull();
    expect(valueJson(true)).toBeNull();
    expect(valueJson(null)).toBeNull();
    expect(valueJson({ a: 1 })).toBeNull();
    expect(valueJson(10n)).toBeNull();
    expect(valueJson(undefined)).toBeUndefined();
    expect(valueJson("\ud83c\udf89")).toBe(JSON.stringify("\ud83c\udf89"));
  });
});

describe("MemberRun", () => {
  it("gives the current values' text after other values (it keeps only the last)", () => {
    const run = new MemberRun("method", "component", "requestId");
    const check = (a: unknown, b: unknown, c: unknown) =>
      expect(run.of(a, b, c)).toBe(stringified({ method: a, component: b, requestId: c }));
    check("tools/call", "echo", 7);
    check("tools/call", "echo", 7);
    check("tools/call", "echo", "7"); // the same digits as a string: quoted
    check("tools/call", "echo", 7);
    check("tools/call", undefined, 7);
    check(undefined, undefined, undefined);
    check("ping", 'a "quoted" name', Number.NaN);
    check("ping", 'a "quoted" name', Number.NaN);
    check("tools/call", "echo", 7);
  });

  it("is null while a value is pino's to write, and right again after", () => {
    const run = new MemberRun("method", "component", "outcome");
    expect(run.of("tools/call", "a\uD800", "ok")).toBeNull();
    expect(run.of("tools/call", "a\uD800", "ok")).toBeNull();
    expect(run.of("tools/call", true, "ok")).toBeNull();
    expect(run.of("tools/call", "b", "ok")).toBe(
      ',"method":"tools/call","component":"b","outcome":"ok"',
    );
  });
});

describe("thousandthsJson", () => {
  it("writes numbers as JSON.stringify does: durations rounded to µs and any other", () => {
    for (let n = 0; n < 200_000; n++) {
      const ms = n / 1000;
      expect(thousandthsJson(ms)).toBe(JSON.stringify(ms));
    }
    // Far apart, up to the largest the tables write, and past it.
    let seed = 11;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 48271) % 2147483647;
      const n = Math.floor((seed / 2147483647) ** 4 * 1.1e15);
      const ms = Math.round((n / 1000) * 1000) / 1000;
      expect(thousandthsJson(ms)).toBe(JSON.stringify(ms));
    }
    const others = [-0, -1.5, 1 / 3, 0.0005, 1e-7, 1e21, 2 ** 60, Number.NaN, -Infinity, Infinity];
    for (const value of others)
      expect(thousandthsJson(value)).toBe(JSON.stringify(value) ?? "null");
  });
});

describe("flat", () => {
  it("joins its parts (one part: the same text)", () => {
    expect(flat("a", "", "bc")).toBe("abc");
    const tree = `${"x".repeat(20)}${"é".repeat(20)}\uD800`;
    expect(flat(tree)).toBe(tree);
    expect(flat()).toBe("");
  });
});
