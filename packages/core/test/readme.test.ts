import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const NODE_ARGS = ["--conditions=@mcpforge/source", "--import", "tsx"];
const EXAMPLES = ["server", "http", "option-checks", "redis"];

function start(name: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, `examples/${name}.ts`], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Everything a stream has written so far, and a way to wait for a pattern in it. */
function collect(stream: NodeJS.ReadableStream) {
  let text = "";
  const waiters = new Set<() => void>();
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of waiters) w();
  });
  return (re: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve) => {
      const check = () => {
        const m = text.match(re);
        if (!m) return;
        waiters.delete(check);
        resolve(m);
      };
      waiters.add(check);
      check();
    });
}

describe("README examples", () => {
  it.each(EXAMPLES)("the README shows examples/%s.ts unchanged", async (name) => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const code = await readFile(new URL(`../examples/${name}.ts`, import.meta.url), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${code}\`\`\``);
  });

  it("examples/server.ts answers over stdio", async () => {
    const child = start("server");
    const line = (msg: unknown) => child.stdin?.write(`${JSON.stringify(msg)}\n`);
    line({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "t", version: "1" },
      },
    });
    line({ jsonrpc: "2.0", method: "notifications/initialized" });
    line({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "divide", arguments: { a: 6, b: 3 } },
    });
    line({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "divide", arguments: { a: 1, b: 0 } },
    });
    const stdout = collect(child.stdout as NodeJS.ReadableStream);
    const [two] = await stdout(/\{[^\n]*"id":2[^\n]*\}/);
    const [three] = await stdout(/\{[^\n]*"id":3[^\n]*\}/);
    child.stdin?.end();
    expect(JSON.parse(two).result.structuredContent).toEqual({ quotient: 2 });
    expect(JSON.parse(three).result).toMatchObject({
      isError: true,
      content: [{ type: "text", text: "Cannot divide by zero" }],
    });
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(0);
  });

  it("examples/first-server.ts (docs/first-server.md): .describe() and .default() reach the schema; the handler gets the default", async () => {
    const guide = await readFile(new URL("../../../docs/first-server.md", import.meta.url), "utf8");
    const code = await readFile(new URL("../examples/first-server.ts", import.meta.url), "utf8");
    expect(guide).toContain(`\`\`\`ts\n${code}\`\`\``);
    const child = start("first-server");
    const line = (msg: unknown) => child.stdin?.write(`${JSON.stringify(msg)}\n`);
    line({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "t", version: "1" },
      },
    });
    line({ jsonrpc: "2.0", method: "notifications/initialized" });
    line({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    line({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "add_note", arguments: { title: "Hello", body: "World" } },
    });
    line({ jsonrpc: "2.0", id: 4, method: "resources/read", params: { uri: "notes://Hello" } });
    const stdout = collect(child.stdout as NodeJS.ReadableStream);
    const [list] = await stdout(/\{[^\n]*"id":2[^\n]*\}/);
    const [call] = await stdout(/\{[^\n]*"id":3[^\n]*\}/);
    const [read] = await stdout(/\{[^\n]*"id":4[^\n]*\}/);
    child.stdin?.end();
    const schema = JSON.parse(list).result.tools[0].inputSchema;
    expect(schema.properties.title).toMatchObject({
      type: "string",
      description: "A short title",
      maxLength: 80,
    });
    expect(schema.properties.pinned).toMatchObject({
      type: "boolean",
      default: false,
      description: "Show it first",
    });
    expect(schema.required).toEqual(["title", "body"]);
    expect(JSON.parse(call).result.structuredContent).toEqual({
      title: "Hello",
      pinned: false,
      count: 1,
    });
    expect(JSON.parse(read).result.contents[0]).toMatchObject({ text: "World" });
    expect(await new Promise((r) => child.once("exit", r))).toBe(0);
  });

  it("examples/http.ts serves MCP, a public /healthz, and exits 0 on SIGTERM", async () => {
    const child = start("http", { PORT: "0" });
    const [, url] = await collect(child.stderr as NodeJS.ReadableStream)(/listening on (\S+)/);
    const endpoint = new URL(url as string);
    const init = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "t", version: "1" },
        },
      }),
    });
    expect(init.status).toBe(200);
    expect(init.headers.get("mcp-session-id")).toBeTruthy();
    await init.text();
    // A probe with a pod IP as Host reaches the public route (the MCP endpoint would answer 403).
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: endpoint.hostname,
          port: endpoint.port,
          path: "/healthz",
          headers: { host: "10.0.0.7:3000" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(200);
    child.kill("SIGTERM");
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(0);
  });

  it("examples/option-checks.ts prints the option error", async () => {
    const { stdout } = await run(process.execPath, [...NODE_ARGS, "examples/option-checks.ts"], {
      cwd: packageDir,
    });
    expect(stdout).toContain(
      "@acme/mcp-audit: audit(): maxEntries must be a positive integer, got 0",
    );
  });

  it("examples/redis.ts talks to the real Redis", async () => {
    const { stdout } = await run(process.execPath, [...NODE_ARGS, "examples/redis.ts"], {
      cwd: packageDir,
    });
    expect(stdout).toContain("entries: 1");
  });
});
