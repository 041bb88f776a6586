import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "../src/index.js";
import { resolveRun } from "../src/transport.js";
import { raw } from "./http-helpers.js";

const src = pathToFileURL(fileURLToPath(new URL("../src/index.ts", import.meta.url))).href;
const NODE = [process.execPath, "--conditions=@mcpforge/source", "--import", "tsx"];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcpforge-newcomer-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs a script as a user would (not under vitest): exit code and stderr. */
async function runScript(
  name: string,
  code: string,
): Promise<{ code: number | null; stderr: string }> {
  const file = join(dir, name);
  await writeFile(file, code);
  const env = { ...process.env };
  delete env.VITEST;
  const child = spawn(NODE[0] as string, [...NODE.slice(1), file], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exit = await new Promise<number | null>((r) => child.on("exit", r));
  return { code: exit, stderr };
}

describe("the newcomer path", () => {
  it("warns on stderr when a server registered components but was never started", async () => {
    const r = await runScript(
      "forgot-run.mts",
      `import { createServer } from ${JSON.stringify(src)};
const app = createServer({ name: "forgetful", version: "1.0.0" });
app.tool("greet", { description: "Greets" }, () => "hi");
app.prompt("p", { description: "A prompt" }, () => "x");
`,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'server "forgetful" registered 1 tool, 1 prompt but was never started, so it served nothing: call await app.run()',
    );
  });

  it("says nothing when the server was started", async () => {
    const r = await runScript(
      "started.mts",
      `import { createServer } from ${JSON.stringify(src)};
const app = createServer({ name: "ok", version: "1.0.0", logger: { debug() {}, info() {}, warn() {}, error() {} } });
app.tool("greet", { description: "Greets" }, () => "hi");
const http = await app.listen({ port: 0 });
await http.close();
`,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("never started");
  });

  it("prints one line when stdin is a terminal, so `pnpm demo` does not look hung", async () => {
    const file = join(dir, "tty.mts");
    await writeFile(
      file,
      `import { createServer } from ${JSON.stringify(src)};
const app = createServer({ name: "tty-demo", version: "1.0.0" });
app.tool("greet", { description: "Greets" }, () => "hi");
await app.run();
`,
    );
    // util-linux `script` gives the child a pseudo-terminal.
    const child = spawn("script", ["-qec", [...NODE, file].join(" "), "/dev/null"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    const seen = new Promise<void>((resolve) => {
      const on = (d: Buffer) => {
        out += d.toString();
        if (out.includes("speaking MCP on stdin/stdout")) resolve();
      };
      child.stdout.on("data", on);
      child.stderr.on("data", on);
    });
    await seen;
    child.kill("SIGKILL");
    expect(out).toContain('MCP server "tty-demo" speaking MCP on stdin/stdout; connect a client');
  });
});

describe("app.run() options and errors", () => {
  it("lists every transport for an unknown one and explains sse", () => {
    expect(() => resolveRun({ transport: "grpc" })).toThrow(
      /unknown transport "grpc" \(available: stdio, http; "streamable-http" means http\)/,
    );
    expect(() => resolveRun({ transport: "sse" })).toThrow(
      /legacy HTTP\+SSE transport is not served; use "http"/,
    );
  });

  it("accepts FastMCP's names for Streamable HTTP", () => {
    for (const t of ["http", "streamable-http", "streamable_http", "HTTP"]) {
      expect(resolveRun({ transport: t, env: {} }).transport).toBe("http");
    }
    expect(
      resolveRun({ argv: ["node", "s.js", "--transport=streamable-http"], env: {} }),
    ).toMatchObject({
      transport: "http",
    });
  });

  it("names PORT when its value is wrong", () => {
    for (const bad of ["abc", "-1", "70000", "3000x", "1.5"]) {
      expect(() => resolveRun({ transport: "http", env: { PORT: bad } })).toThrow(
        `PORT=${JSON.stringify(bad)} is not a port: set PORT to a number from 0 to 65535`,
      );
    }
  });

  it("HOST=0.0.0.0 with ALLOWED_HOSTS works without code changes", async () => {
    const target = resolveRun({
      transport: "http",
      env: { PORT: "0", HOST: "0.0.0.0", ALLOWED_HOSTS: "mcp.example.com, mcp.example.com:8443" },
    });
    expect(target).toMatchObject({
      transport: "http",
      http: { host: "0.0.0.0", allowedHosts: ["mcp.example.com", "mcp.example.com:8443"] },
    });
    const app = createServer({ name: "container", version: "1.0.0" });
    app.tool("hi", { description: "Hi" }, () => "hi");
    if (target.transport !== "http") throw new Error("expected http");
    const http = await app.listen({ ...target.http, handleSignals: false });
    try {
      const url = `http://127.0.0.1:${http.port}/mcp`;
      const init = JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "c", version: "1" },
        },
      });
      const headers = (host: string) => ({
        host,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      });
      expect((await raw(url, { headers: headers("mcp.example.com"), body: init })).status).toBe(
        200,
      );
      expect((await raw(url, { headers: headers("evil.example.com"), body: init })).status).toBe(
        403,
      );
    } finally {
      await http.close();
    }
  });

  it("explains a port in use", async () => {
    const holder = createNetServer();
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", r));
    const port = (holder.address() as { port: number }).port;
    try {
      const app = createServer({ name: "busy", version: "1.0.0" });
      await expect(app.listen({ port })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is in use: set PORT (or listen({ port })) to another port; 0 picks a free one`,
      );
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });
});
