import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer, McpForgeError, ToolError } from "@mcpforge/core";
import { createTestClient, testMiddleware } from "@mcpforge/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { memoryDestination, silentLogger } from "../test-utils/fixtures.js";
import { logging } from "./logging.js";

testMiddleware("logging", () => logging({ destination: memoryDestination() }));

/** The JSON lines of a log that record a `tools/call`. */
function requestLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.method === "tools/call");
}

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "mcpforge-logging-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A server whose `ping` calls are logged to a file in a fresh temporary directory (removed
 * afterwards); `run` gets the client, the app and a reader of the logged request lines.
 */
async function withFileLog(
  options: { sync?: boolean },
  run: (t: {
    client: Awaited<ReturnType<typeof createTestClient>>;
    app: ReturnType<typeof createServer>;
    lines: () => Promise<Record<string, unknown>[]>;
    file: string;
  }) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const file = join(dir, "mcp.log");
    const app = createServer({ name: "t", version: "1" }).use(
      logging({ destination: file, ...options }),
    );
    app.tool("ping", { description: "Ping" }, () => "pong");
    const client = await createTestClient(app);
    const lines = async () => requestLines(await readFile(file, "utf8"));
    await run({ client, app, lines, file });
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function loggedApp(options: Parameters<typeof logging>[0] = {}) {
  const dest = memoryDestination();
  const app = createServer({ name: "t", version: "1", logger: silentLogger })
    // Stands in for an auth middleware that sets the principal.
    .use(async (ctx, next) => {
      ctx.auth = { token: "t0k3n", clientId: "client-42", scopes: [] };
      return next();
    })
    .use(logging({ destination: dest, ...options }));
  app.tool("whoami", { description: "Returns the correlation id" }, (_a, ctx) => ({
    correlationId: ctx.var.correlationId,
  }));
  app.tool("store", { description: "Takes anything" }, (args) => ({ keys: Object.keys(args) }));
  app.tool("refuse", { description: "ToolError" }, () => {
    throw new ToolError("not today");
  });
  app.resource("memo://broken", { description: "Fails" }, () => {
    throw new McpForgeError("forbidden", "no access");
  });
  return { app, lines: dest.lines };
}

describe("logging", () => {
  it("writes one JSON line per request with method, component, outcome, ids and principal", async () => {
    const { app, lines } = loggedApp();
    await using client = await createTestClient(app);
    const { correlationId } = await client.callTool<{ correlationId: string }>("whoami", {});
    expect(correlationId).toMatch(UUID);
    await client.listTools();
    expect(lines).toHaveLength(2);
    const [call, list] = lines;
    expect(call).toMatchObject({
      level: "info",
      msg: "mcp request",
      name: "@mcpforge/middleware/logging",
      method: "tools/call",
      component: "whoami",
      outcome: "ok",
      correlationId,
      principal: "client-42",
      transport: "memory",
      arguments: {},
    });
    expect(typeof call?.time).toBe("string");
    expect(typeof call?.durationMs).toBe("number");
    expect(typeof call?.sessionId).toBe("string");
    expect(typeof call?.requestId).toBe("number");
    expect(list).toMatchObject({ method: "tools/list", outcome: "ok" });
    expect(list?.correlationId).toMatch(UUID);
    expect(list?.correlationId).not.toBe(correlationId);
    expect(JSON.stringify(lines)).not.toContain("t0k3n");
  });

  it("reports tool_error and error outcomes", async () => {
    const { app, lines } = loggedApp();
    await using client = await createTestClient(app);
    expect((await client.callToolRaw("refuse", {})).isError).toBe(true);
    await expect(client.readResource("memo://broken")).rejects.toThrow(/no access/);
    expect(lines[0]).toMatchObject({ level: "warn", component: "refuse", outcome: "tool_error" });
    expect(lines[1]).toMatchObject({
      level: "error",
      method: "resources/read",
      uri: "memo://broken",
      outcome: "error",
      error: { name: "McpForgeError", message: "no access", kind: "forbidden", code: -32003 },
    });
  });

  it("redacts secret argument keys at any depth, case-insensitively", async () => {
    const { app, lines } = loggedApp();
    await using client = await createTestClient(app);
    await client.callTool("store", {
      user: "ann",
      Password: "hunter2",
      nested: { API_KEY: "k1", apiKey: "k2", list: [{ clientSecret: "s1", note: "fine" }] },
      accessToken: "tok",
      Authorization: "Bearer x",
      cookie: "sid=1",
    });
    expect(lines[0]?.arguments).toEqual({
      user: "ann",
      Password: "[REDACTED]",
      nested: {
        API_KEY: "[REDACTED]",
        apiKey: "[REDACTED]",
        list: [{ clientSecret: "[REDACTED]", note: "fine" }],
      },
      accessToken: "[REDACTED]",
      Authorization: "[REDACTED]",
      cookie: "[REDACTED]",
    });
    expect(JSON.stringify(lines)).not.toMatch(/hunter2|k1|k2|s1|Bearer x|sid=1/);
  });

  it("takes its own redact list, with strings and RegExps", async () => {
    const { app, lines } = loggedApp({ redactKeys: ["ssn", /^pin$/i] });
    await using client = await createTestClient(app);
    await client.callTool("store", { ssn: "123", PIN: "9", spin: "ok", password: "kept" });
    expect(lines[0]?.arguments).toEqual({
      ssn: "[REDACTED]",
      PIN: "[REDACTED]",
      spin: "ok",
      password: "kept",
    });
  });

  it("truncates large payloads to maxPayloadBytes", async () => {
    const { app, lines } = loggedApp({ maxPayloadBytes: 64 });
    await using client = await createTestClient(app);
    await client.callTool("store", { text: "é".repeat(500), password: "secret-value" });
    const logged = lines[0];
    expect(logged?.argumentsTruncated).toBe(true);
    expect(logged?.argumentsBytes).toBeGreaterThan(1000);
    expect(typeof logged?.arguments).toBe("string");
    const text = logged?.arguments as string;
    expect(Buffer.byteLength(text.replace(/…$/, ""))).toBeLessThanOrEqual(64);
    expect(text.startsWith('{"text":"éé')).toBe(true);
    expect(text).not.toContain("\uFFFD");
    expect(JSON.stringify(lines)).not.toContain("secret-value");
  });

  it("honours level and writes to a given pino logger", async () => {
    const warnOnly = loggedApp({ level: "warn" });
    await using client = await createTestClient(warnOnly.app);
    await client.callTool("whoami", {});
    await client.callToolRaw("refuse", {});
    expect(warnOnly.lines.map((l) => l.outcome)).toEqual(["tool_error"]);

    const dest = memoryDestination();
    const own = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      logging({ logger: pino({ base: { service: "mine" } }, dest) }),
    );
    own.tool("ping", { description: "Ping" }, () => "pong");
    await using client2 = await createTestClient(own);
    await client2.callTool("ping");
    expect(dest.lines).toHaveLength(1);
    expect(dest.lines[0]).toMatchObject({ service: "mine", level: 30, component: "ping" });
  });

  it("keeps a correlation id set by an earlier middleware", async () => {
    const dest = memoryDestination();
    const app = createServer({ name: "t", version: "1", logger: silentLogger })
      .use<{ correlationId: string }>(async (ctx, next) => {
        ctx.var.correlationId = "from-gateway";
        return next();
      })
      .use(logging({ destination: dest }));
    app.tool("ping", { description: "Ping" }, () => "pong");
    await using client = await createTestClient(app);
    await client.callTool("ping");
    expect(dest.lines[0]?.correlationId).toBe("from-gateway");
  });

  it("logs HTTP headers with authorization and cookies redacted (real HTTP)", async () => {
    const dest = memoryDestination();
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      logging({ destination: dest }),
    );
    app.tool("ping", { description: "Ping" }, () => "pong");
    const http = await app.listen({ port: 0 });
    const client = new Client({ name: "c", version: "1" });
    try {
      await client.connect(
        new StreamableHTTPClientTransport(new URL(http.url), {
          requestInit: {
            headers: {
              Authorization: "Bearer very-secret",
              Cookie: "session=abc",
              "X-Api-Key": "key-123",
              "X-Request-Tag": "visible",
            },
          },
        }),
      );
      await client.callTool({ name: "ping", arguments: {} });
    } finally {
      await client.close();
      await http.close();
    }
    const line = dest.lines.find((l) => l.method === "tools/call");
    expect(line).toMatchObject({ transport: "http", component: "ping", outcome: "ok" });
    const headers = line?.headers as Record<string, unknown>;
    expect(headers.authorization).toBe("[REDACTED]");
    expect(headers.cookie).toBe("[REDACTED]");
    expect(headers["x-api-key"]).toBe("[REDACTED]");
    expect(headers["x-request-tag"]).toBe("visible");
    expect(JSON.stringify(dest.lines)).not.toMatch(/very-secret|session=abc|key-123/);
  });

  it("validates its options", () => {
    expect(() => logging({ level: "loud" as never })).toThrow(
      /^@mcpforge\/middleware: logging\(\): level/,
    );
    expect(() => logging({ maxPayloadBytes: 0 })).toThrow(/maxPayloadBytes/);
    expect(() => logging({ redactKeys: [""] })).toThrow(/redactKeys/);
    expect(() => logging({ redactKeys: "password" as never })).toThrow(/redactKeys/);
    expect(() => logging({ logger: {} as never })).toThrow(/logger/);
    expect(() => logging({ destination: {} as never })).toThrow(/destination/);
  });
});

describe("logging to stderr", () => {
  it("writes to file descriptor 2 by default and nothing to stdout (real child process)", async () => {
    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    const fixture = fileURLToPath(new URL("../test-utils/logging-stderr.ts", import.meta.url));
    const { stdout, stderr } = await run(process.execPath, [
      "--conditions=@mcpforge/source",
      tsx,
      fixture,
    ]);
    expect(stdout).toBe("");
    const lines = stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.method === "tools/call")).toMatchObject({
      component: "ping",
      outcome: "ok",
      level: "info",
    });
  });
});

describe("writing lines (batched by default)", () => {
  const tsx = createRequire(import.meta.url).resolve("tsx/cli");
  const fixture = (name: string) =>
    fileURLToPath(new URL(`../test-utils/${name}.ts`, import.meta.url));
  const child = (...args: string[]) =>
    run(process.execPath, ["--conditions=@mcpforge/source", tsx, fixture("logging-exit"), ...args]);

  it("loses no line when the process exits at once (stderr, real child process)", async () => {
    const { stderr } = await child("-", "3000");
    expect(requestLines(stderr)).toHaveLength(3000);
  });

  it("loses no line when the process exits at once (a file, real child process)", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "sub", "mcp.log");
      await child(file, "3000");
      expect(requestLines(await readFile(file, "utf8"))).toHaveLength(3000);
    });
  });

  it("loses no line when the process dies of an uncaught exception (real child process)", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "mcp.log");
      const { code, stderr } = await runToEnd(process.execPath, [
        "--conditions=@mcpforge/source",
        tsx,
        fixture("logging-exit"),
        file,
        "3000",
        "throw",
      ]);
      expect(code).toBe(1);
      expect(stderr).toContain("crash after logging");
      expect(requestLines(await readFile(file, "utf8"))).toHaveLength(3000);
    });
  });

  it("loses no line when SIGTERM shuts the server down with calls in flight (real child process)", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "mcp.log");
      const proc = spawn(
        process.execPath,
        ["--conditions=@mcpforge/source", tsx, fixture("logging-shutdown"), file],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      try {
        const exited = new Promise<number | null>((resolve) => proc.once("exit", resolve));
        let out = "";
        let seen: (() => void) | undefined;
        proc.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          seen?.();
        });
        const until = (ok: () => boolean) =>
          new Promise<void>((resolve) => {
            seen = () => ok() && resolve();
            seen();
          });
        await until(() => out.includes("\n"));
        const url = out.split("\n")[0] as string;
        const calls = Array.from({ length: 20 }, (_, i) => callTool(url, i + 1, "held"));
        await until(() => out.split("\n").filter((l) => l === "in").length === 20);
        proc.kill("SIGTERM");
        const answers = await Promise.all(calls);
        expect(answers.every((a) => a.status === 200 && a.body.includes("released"))).toBe(true);
        expect(await exited).toBe(0);
        expect(requestLines(await readFile(file, "utf8"))).toHaveLength(20);
      } finally {
        if (proc.exitCode === null) proc.kill("SIGKILL");
      }
    });
  });

  it("has written every line once the app is closed, in the turn that logged them", async () => {
    await withFileLog({}, async ({ client, app, file }) => {
      await Promise.all(Array.from({ length: 2000 }, () => client.callTool("ping")));
      let turnEnded = false;
      setImmediate(() => {
        turnEnded = true;
      });
      await app.close(); // closes the client's session too
      // Read before the turn ends: the lines are there because close wrote them.
      const logged = requestLines(readFileSync(file, "utf8"));
      expect(turnEnded).toBe(false);
      expect(logged).toHaveLength(2000);
    });
  });

  it("writes the lines within 20 ms, with no close", async () => {
    await withFileLog({}, async ({ client, lines }) => {
      for (let i = 0; i < 50; i++) await client.callTool("ping");
      // a timer set after the batch's (20 ms) fires after it, however late the loop runs
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await lines()).toHaveLength(50);
      await client.close();
    });
  });

  it("stamps every line with its ISO time, as pino's isoTime does", async () => {
    await withFileLog({}, async ({ client, app, lines }) => {
      const before = Date.now();
      for (let i = 0; i < 300; i++) await client.callTool("ping");
      const after = Date.now();
      await app.close(); // writes the batch still buffered
      const times = (await lines()).map((l) => l.time as string);
      expect(times).toHaveLength(300);
      for (const time of times) {
        expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(new Date(time).toISOString()).toBe(time);
        expect(Date.parse(time)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(time)).toBeLessThanOrEqual(after);
      }
    });
  });

  it("writes each line before the call returns with sync: true", async () => {
    await withFileLog({ sync: true }, async ({ client, lines }) => {
      for (let i = 0; i < 50; i++) await client.callTool("ping");
      // no close, no flush: every line is in the file already
      expect(await lines()).toHaveLength(50);
      await client.close();
    });
  });

  it("logs headers as they are when none is secret, and redacts a copy otherwise", async () => {
    const dest = memoryDestination();
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      logging({ destination: dest }),
    );
    app.tool("ping", { description: "Ping" }, () => "pong");
    const http = await app.listen({ port: 0, mode: "stateless" });
    try {
      const extras: Record<string, string>[] = [{}, { "x-api-key": "k_live_secret_value_123" }];
      for (const extra of extras) {
        const res = await fetch(http.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
            "x-trace": "abc",
            ...extra,
          },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "tools/call",
            params: { name: "ping", arguments: { nested: [{ password: "hunter2" }, "x"] } },
          }),
        });
        await res.text();
      }
    } finally {
      await http.close();
    }
    const calls = dest.lines.filter((l) => l.method === "tools/call");
    expect(calls).toHaveLength(2);
    expect(calls[0]?.headers).toMatchObject({ "x-trace": "abc" });
    expect(calls[1]?.headers).toMatchObject({ "x-trace": "abc", "x-api-key": "[REDACTED]" });
    for (const call of calls) {
      expect(call.arguments).toEqual({ nested: [{ password: "[REDACTED]" }, "x"] });
    }
    expect(JSON.stringify(calls)).not.toMatch(/hunter2|secret_value/);
  });
});

function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** Runs a command to its end, whatever its exit code. */
function runToEnd(
  cmd: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 15_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
    });
  });
}

/** A `tools/call` over HTTP (stateless), answered as JSON. */
async function callTool(
  url: string,
  id: number,
  name: string,
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name, arguments: {} },
    }),
  });
  return { status: res.status, body: await res.text() };
}
