import { createServer, McpForgeError } from "@mcpforge/core";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { logging } from "./logging.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Raw lines written to a stream destination. */
function rawDestination(): { write(line: string): void; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    write(text: string) {
      for (const line of text.split("\n")) if (line !== "") lines.push(line);
    },
  };
}

/** The parts of a line that differ between two loggers of one request: time and duration. */
function comparable(line: string): string {
  return line
    .replace(/"time":"[^"]*"/, '"time":""')
    .replace(/"durationMs":[\d.e+-]+/, '"durationMs":0');
}

/** A pino logger configured as `logging()` configures its default one, writing to `destination`. */
function pinoLike(destination: { write(line: string): void }) {
  return pino(
    {
      name: "@mcpforge/middleware/logging",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

describe("logging(): the default logger's lines", () => {
  it("are byte for byte what pino writes for the same fields (HTTP headers, arguments, URIs, errors)", async () => {
    // Two logging() layers on one app see the same requests (and share the correlation id):
    // the default logger, which serializes the line itself, and a pino logger given as is.
    const fast = rawDestination();
    const slow = rawDestination();
    const given = pinoLike(slow);
    const app = createServer({ name: "t", version: "1" })
      .use(logging({ destination: fast, maxPayloadBytes: 64 }))
      .use(logging({ logger: given, maxPayloadBytes: 64 }));
    app.tool("echo", { description: "Echo", input: { text: z.string() } }, ({ text }) => text);
    app.tool("fails", { description: "Fails" }, () => {
      throw new McpForgeError("unavailable", 'down "now"\n');
    });
    app.resource("note://a/b", { description: "Note" }, () => "n");
    const http = await app.listen({ port: 0, mode: "stateless" });
    closers.push(() => http.close());

    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(http.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, ...(body as object) }),
      });
    const call = (args: unknown, headers?: Record<string, string>) =>
      post({ method: "tools/call", params: { name: "echo", arguments: args } }, headers);
    await call({ text: "hello" }, { "x-api-key": "k1", authorization: "Bearer t" });
    await call({ text: "hello" }, { "x-api-key": "k2", "x-note": 'say "hi" \\ caf\u00e9' });
    await call({ text: "hello", password: "p" }, { cookie: "a=b" });
    await call({ text: "x".repeat(200) });
    await call({ text: "\u00e9\u4e2d\ud83d\ude00 \u2028" });
    await post({ method: "tools/call", params: { name: "fails", arguments: {} } });
    await post({ method: "resources/read", params: { uri: "note://a/b" } });
    await post({ method: "tools/list", params: {} }, { "x-api-key": "k3" });

    expect(fast.lines).toHaveLength(8);
    expect(fast.lines.map(comparable)).toEqual(slow.lines.map(comparable));
    expect(fast.lines[0]).toContain('"x-api-key":"[REDACTED]"');
    expect(fast.lines[1]).toContain('"x-note":"say \\"hi\\" \\\\ caf\u00e9"');
  });

  it("are byte for byte pino's for ids, names and principals the fast path writes by hand", async () => {
    const fast = rawDestination();
    const slow = rawDestination();
    const given = pinoLike(slow);
    const app = createServer({ name: "t", version: "1" })
      .use(logging({ destination: fast }))
      .use(logging({ logger: given }))
      .use({
        name: "principal",
        onRequest: (ctx, next) => {
          const clientId = ctx.params.name === "echo" ? 'caf\u00e9 "c"' : undefined;
          if (clientId) ctx.auth = { clientId, scopes: [], token: "t" };
          return next();
        },
      });
    app.tool("echo", { description: "Echo", input: { text: z.string() } }, ({ text }) => text);
    const http = await app.listen({ port: 0, mode: "stateless" });
    closers.push(() => http.close());

    const post = (id: unknown, params: unknown) =>
      fetch(http.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "x-note": "d\u00e9j\u00e0 vu",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params }),
      });
    const echo = { name: "echo", arguments: { text: "hi" } };
    await post(7, echo);
    await post("7", echo); // the same digits as a string: quoted
    await post('id "q" \\ \u00e9', echo);
    await post(8, { name: 'no "such" tool\n\u00e9', arguments: {} }); // component from params
    await post(9, { name: "lone \uD800 surrogate", arguments: {} }); // pino's to write
    await post(10, echo);

    expect(fast.lines).toHaveLength(6);
    expect(fast.lines.map(comparable)).toEqual(slow.lines.map(comparable));
    expect(fast.lines[0]).toContain('"requestId":7,');
    expect(fast.lines[1]).toContain('"requestId":"7",');
    expect(fast.lines[0]).toContain('"principal":"caf\u00e9 \\"c\\""');
    expect(fast.lines[3]).toContain('"component":"no \\"such\\" tool\\n\u00e9"');
  });
});
