import { channel } from "node:diagnostics_channel";
import type { Level } from "pino";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { lineWriter } from "./line.js";

/** A pino logger configured as `logging()` configures its own, writing into an array. */
function capture(options: { needsMetadata?: boolean; level?: Level } = {}) {
  const lines: string[] = [];
  const stream = {
    write: (line: string) => void lines.push(line),
    ...(options.needsMetadata ? { [Symbol.for("pino.metadata")]: true } : {}),
  };
  const logger = pino(
    {
      name: "@mcpforge/middleware/logging",
      level: options.level ?? "info",
      base: { pid: 4242 },
      timestamp: () => ',"time":"2026-12-07T12:55:42.123Z"',
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  return { logger, lines };
}

/** The line `lineWriter` writes and the line pino writes for the same fields. */
function both(level: Level, make: () => Record<string, unknown>): [string, string] {
  const { logger, lines } = capture();
  lineWriter(pino, logger, "mcp request")(level, make());
  logger[level](make(), "mcp request");
  expect(lines).toHaveLength(2);
  return [lines[0] as string, lines[1] as string];
}

const HOSTILE = [
  'quote " backslash \\ slash /',
  "newline \n tab \t nul \u0000 bell \u0007 escape \u001b del \u007f",
  "line separators \u2028 \u2029",
  "unicode: Grüße, 日本語, emoji 🎉👩‍👩‍👧, rtl \u202e",
  '</script><script>alert("x")</script>',
  '{"level":"fatal","msg":"forged"}\n{"injected":true}',
  "x".repeat(100),
  `${"é".repeat(60)}"${"\\".repeat(50)}`,
  "",
];

describe("lineWriter", () => {
  it("writes the same bytes as pino for hostile strings, unicode and nested values", () => {
    for (const text of HOSTILE) {
      const make = () => ({
        method: "tools/call",
        component: text,
        outcome: "ok",
        durationMs: 1.234,
        correlationId: text,
        requestId: 7,
        sessionId: text,
        transport: "http",
        principal: undefined,
        arguments: { [text]: text, list: [text, 1, null, true, { deep: text }] },
        headers: { "x-note": text, accept: ["a", text] },
      });
      const [fast, slow] = both("info", make);
      expect(fast).toBe(slow);
      const parsed = JSON.parse(fast);
      expect(parsed.component).toBe(text);
      expect(parsed.arguments[text]).toBe(text);
      expect(parsed.headers["x-note"]).toBe(text);
      expect(parsed.msg).toBe("mcp request");
      expect("principal" in parsed).toBe(false);
    }
  });

  it("writes the same bytes as pino for every level, odd numbers and the error fields", () => {
    for (const level of ["info", "warn", "error"] as const) {
      const make = () => ({
        method: "resources/read",
        outcome: level === "info" ? "ok" : "error",
        durationMs: Number.NaN,
        big: Number.POSITIVE_INFINITY,
        negativeZero: -0,
        flag: false,
        nothing: null,
        fn: () => 1,
        error: { name: "McpForgeError", message: 'no "access"\n', kind: "forbidden" },
        argumentsTruncated: true,
        arguments: `${'{"a":"'.padEnd(2000, "z")}…`,
      });
      const [fast, slow] = both(level, make);
      expect(fast).toBe(slow);
      expect(JSON.parse(fast).level).toBe(level);
    }
  });

  it("keeps redacted values redacted (it writes the fields it is given)", () => {
    const make = () => ({
      method: "tools/call",
      arguments: { user: "ann", password: "[REDACTED]", nested: { apiKey: "[REDACTED]" } },
      headers: { authorization: "[REDACTED]", "x-api-key": "[REDACTED]", accept: "*/*" },
    });
    const [fast, slow] = both("info", make);
    expect(fast).toBe(slow);
    expect(fast).not.toMatch(/hunter2|Bearer/);
    expect(JSON.parse(fast).arguments.nested.apiKey).toBe("[REDACTED]");
  });

  it("lets pino write what it serializes differently: lone surrogates, cycles, BigInts", () => {
    const lone = () => ({ method: "tools/call", component: "a\uD800b", other: "\uDC00" });
    const [fastLone, slowLone] = both("info", lone);
    expect(fastLone).toBe(slowLone);
    const nested = () => ({
      method: "tools/call",
      component: "literally \\ud800, not a surrogate",
      arguments: { text: `x\uDC00${"y".repeat(120)}\uD83D` },
      long: `\uD800${"z".repeat(150)}`,
    });
    const [fastNested, slowNested] = both("warn", nested);
    expect(fastNested).toBe(slowNested);

    const cyclic = () => {
      const args: Record<string, unknown> = { text: "hi" };
      args.self = args;
      return { method: "tools/call", arguments: args, count: 10n };
    };
    const [fastCycle, slowCycle] = both("info", cyclic);
    expect(fastCycle).toBe(slowCycle);
    expect(JSON.parse(fastCycle).arguments.self).toBe("[Circular]");
  });

  it("writes nothing below the logger's level", () => {
    const { logger, lines } = capture({ level: "warn" });
    const write = lineWriter(pino, logger, "mcp request");
    write("info", { method: "tools/list" });
    write("warn", { method: "tools/call" });
    expect(lines.map((l) => JSON.parse(l).method)).toEqual(["tools/call"]);
  });

  it("gives streams that want pino's metadata (multistream) to pino", () => {
    const { logger, lines } = capture({ needsMetadata: true });
    lineWriter(pino, logger, "mcp request")("warn", { method: "tools/call" });
    expect(lines).toHaveLength(1);
    const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as {
      lastLevel?: number;
    };
    expect(stream.lastLevel).toBe(40);
  });

  it("lets pino serialize while somebody traces pino's serializer", () => {
    const { logger, lines } = capture();
    const seen: unknown[] = [];
    const listener = (message: unknown) => void seen.push(message);
    channel("tracing:pino_asJson:start").subscribe(listener);
    try {
      lineWriter(pino, logger, "mcp request")("info", { method: "ping" });
    } finally {
      channel("tracing:pino_asJson:start").unsubscribe(listener);
    }
    expect(lines).toHaveLength(1);
    expect(seen).toHaveLength(1);
  });
});
