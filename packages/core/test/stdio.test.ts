import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { pickTransport } from "../src/transport.js";

const fixture = fileURLToPath(new URL("./fixtures/stdio-server.ts", import.meta.url));
// tsx as a loader in the server's own process (not the tsx CLI, which runs the script in a
// second process and relays signals to it): signals and stdin reach the server itself.
const tsx = ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href];

function start() {
  const child = spawn(process.execPath, [...tsx, fixture], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const lines = async (n: number) => {
    const end = Date.now() + 15_000;
    while (stdout.split("\n").filter(Boolean).length < n) {
      if (Date.now() > end) throw new Error(`timeout; stdout=${stdout} stderr=${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  };
  return { child, exited, lines, err: () => stderr };
}

describe("stdio transport", () => {
  it("serves the SDK client over a real child process; console.log goes to stderr", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...tsx, fixture],
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (d) => {
      stderr += d;
    });
    const client = new Client({ name: "c", version: "1" });
    await client.connect(transport);
    expect(client.getServerVersion()).toMatchObject({ name: "stdio-fixture", version: "1.0.0" });
    const r = await client.callTool({ name: "echo", arguments: { text: "hi" } });
    expect(r.content).toEqual([{ type: "text", text: "hi" }]);
    await client.close();
    expect(stderr).toContain("console.log inside a tool must not reach stdout");
  });

  it("answers a non-JSON line with -32700, keeps running, and exits 0 on EOF", async () => {
    const s = start();
    s.child.stdin.write("this is not json\n");
    s.child.stdin.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n');
    s.child.stdin.write('{"jsonrpc":"2.0","id":2}\n');
    const msgs = await s.lines(3);
    expect(msgs[0]).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32700, message: "Parse error" },
    });
    expect(msgs).toContainEqual({ jsonrpc: "2.0", id: 1, result: {} });
    expect(msgs.find((m) => m.id === 2)).toMatchObject({ error: { code: -32600 } });
    s.child.stdin.end();
    expect(await s.exited).toBe(0);
  });

  it("exits 0 on SIGTERM even with a call in flight", async () => {
    const s = start();
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "x", version: "1" },
      },
    };
    s.child.stdin.write(`${JSON.stringify(init)}\n`);
    await s.lines(1);
    s.child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    s.child.stdin.write(
      '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"hang"}}\n',
    );
    await new Promise((r) => setTimeout(r, 200));
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
  });

  it("shuts down cleanly (exit 0, no unhandled error) when the client closes stdout (EPIPE)", async () => {
    const s = start();
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "x", version: "1" },
      },
    };
    s.child.stdin.write(`${JSON.stringify(init)}\n`);
    await s.lines(1);
    s.child.stdout.destroy(); // the client stops reading: the server's writes now fail
    for (let i = 0; i < 20; i++) {
      s.child.stdin.write(`{"jsonrpc":"2.0","id":${10 + i},"method":"ping"}\n`);
    }
    expect(await s.exited).toBe(0);
    expect(s.err()).not.toMatch(/EPIPE|Unhandled|Error:/);
  });
});

describe("pickTransport", () => {
  it("prefers the option, then --transport, then MCP_TRANSPORT, else stdio", () => {
    expect(pickTransport({ transport: "http", argv: ["--transport", "x"] })).toBe("http");
    expect(pickTransport({ argv: ["node", "s", "--transport", "http"], env: {} })).toBe("http");
    expect(pickTransport({ argv: ["node", "s", "--transport=sse"], env: {} })).toBe("sse");
    expect(pickTransport({ argv: [], env: { MCP_TRANSPORT: "http" } })).toBe("http");
    expect(pickTransport({ argv: [], env: {} })).toBe("stdio");
  });
});
