import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const TSX_CLI = require.resolve("tsx/cli");
const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/** Whether a process with this pid still exists. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

describe("demo-basic over stdio", () => {
  let transport: StdioClientTransport;
  let client: Client;
  let stderr = "";
  let closed: Promise<void>;

  beforeAll(async () => {
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [TSX_CLI, "--conditions=@mcpforge/source", MAIN],
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    closed = new Promise((resolve) => {
      const previous = transport.onclose;
      transport.onclose = () => {
        previous?.();
        resolve();
      };
    });
    client = new Client({ name: "demo-basic-stdio-test", version: "0.0.0" });
    await client.connect(transport);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
  });

  it("identifies itself", () => {
    expect(client.getServerVersion()).toMatchObject({ name: "demo-basic", version: "0.1.0" });
    expect(client.getServerCapabilities()).toMatchObject({
      tools: expect.any(Object),
      resources: expect.any(Object),
      prompts: expect.any(Object),
    });
  });

  it("lists the tools", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "advanced_search",
      "calculate",
      "calculate_compound_interest",
      "format_currency",
      "greet",
      "nth_prime",
      "process_data_batch",
      "read_file_safe",
    ]);
  });

  it("calls calculate and greet", async () => {
    const calc = (await client.callTool({
      name: "calculate",
      arguments: { expression: "2 * (3 + 4) ^ 2" },
    })) as CallToolResult;
    expect(calc.isError).toBeFalsy();
    expect(calc.structuredContent).toEqual({ expression: "2 * (3 + 4) ^ 2", result: 98 });

    const greet = (await client.callTool({
      name: "greet",
      arguments: { name: "stdio" },
    })) as CallToolResult;
    expect(greet.content).toEqual([{ type: "text", text: "Hello, stdio!" }]);

    const error = (await client.callTool({
      name: "calculate",
      arguments: { expression: "1/0" },
    })) as CallToolResult;
    expect(error.isError).toBe(true);
    expect(error.content).toEqual([{ type: "text", text: expect.stringMatching(/zero/) }]);
  });

  it("reads a resource", async () => {
    const { contents } = await client.readResource({ uri: "data://user_profiles/ada_l" });
    expect(contents).toHaveLength(1);
    expect(JSON.parse((contents[0] as { text: string }).text)).toMatchObject({
      user_id: "ada_l",
      name: "Ada Lovelace",
    });
  });

  it("reads a file from the bundled sandbox", async () => {
    const result = (await client.callTool({
      name: "read_file_safe",
      arguments: { path: "welcome.txt" },
    })) as CallToolResult;
    expect(result.structuredContent).toMatchObject({
      content: expect.stringContaining("MCP Forge demo sandbox"),
    });
  });

  it("exits by itself when its stdin closes", async () => {
    const pid = transport.pid;
    expect(pid).toEqual(expect.any(Number));
    const started = Date.now();
    await client.close();
    await closed;
    // The transport sends SIGTERM only after 2 s: closing sooner means the server exited on EOF.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(isAlive(pid as number)).toBe(false);
    expect(stderr).not.toMatch(/Error|unhandled/i);
  }, 15_000);
});
