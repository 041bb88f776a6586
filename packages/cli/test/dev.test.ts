import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INSPECTOR_NODE, nodeAtLeast } from "../src/commands/dev.js";
import { cliCommand, runCli } from "./helpers/cli.js";

// Inside the package so the server file resolves @mcpforge/core and zod (ignored by git and biome).
const SANDBOX = fileURLToPath(new URL("./fixtures/sandbox/", import.meta.url));

/** A server file with the given tools (each answers its own name). */
const serverSource = (tools: string[]) => `import { createServer } from "@mcpforge/core";
const app = createServer({ name: "dev-fixture", version: "1.0.0" });
${tools.map((t) => `app.tool("${t}", { description: "${t}" }, () => "${t} answers");`).join("\n")}
export default app;
`;

let dir: string;
let file: string;
let stderr = "";

beforeEach(async () => {
  dir = join(SANDBOX, `dev-${process.pid}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  file = join(dir, "server.ts");
  stderr = "";
});

afterEach(() => rm(dir, { recursive: true, force: true }));

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startDev(): Promise<{ client: Client; listChanged: () => number }> {
  const transport = new StdioClientTransport({
    ...cliCommand("dev", file),
    stderr: "pipe",
    cwd: dir,
  });
  transport.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
  });
  const client = new Client({ name: "test", version: "0" });
  let changes = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    changes++;
  });
  await client.connect(transport);
  await waitFor(() => stderr.includes("Watching"), "the watcher");
  return { client, listChanged: () => changes };
}

const names = async (client: Client) => (await client.listTools()).tools.map((t) => t.name);

describe("mcpforge dev", () => {
  it("restarts on a change without dropping the client, and keeps the last good server on a syntax error", async () => {
    await writeFile(file, serverSource(["one"]));
    const { client, listChanged } = await startDev();
    try {
      expect(await names(client)).toEqual(["one"]);

      await writeFile(file, serverSource(["one", "two"]));
      await waitFor(() => listChanged() === 1, "tools/list_changed after the edit");
      await waitFor(() => /Restarted in \d+ ms/.test(stderr), "the restart message");
      expect(await names(client)).toEqual(["one", "two"]);
      const two = await client.callTool({ name: "two", arguments: {} });
      expect(two.content).toEqual([{ type: "text", text: "two answers" }]);

      await writeFile(file, `${serverSource(["one", "two", "three"])}\nconst = ;\n`);
      await waitFor(() => stderr.includes("Restart failed"), "the failed restart");
      expect(stderr).toMatch(/Cannot load .*server\.ts/);
      expect(listChanged()).toBe(1);
      expect(await names(client)).toEqual(["one", "two"]);

      await writeFile(file, serverSource(["three"]));
      await waitFor(() => listChanged() === 2, "tools/list_changed after the fix");
      expect(await names(client)).toEqual(["three"]);
    } finally {
      await client.close();
    }
  });

  it("debounces a burst of saves into one restart", async () => {
    await writeFile(file, serverSource(["a"]));
    const { client, listChanged } = await startDev();
    try {
      for (const tools of [
        ["a", "b"],
        ["a", "b", "c"],
        ["a", "b", "c", "d"],
      ]) {
        await writeFile(file, serverSource(tools));
      }
      await waitFor(() => listChanged() >= 1, "the restart");
      expect(await names(client)).toEqual(["a", "b", "c", "d"]);
      await waitFor(() => stderr.includes("Restarted in"), "the restart message");
      expect(stderr.match(/Restarted in/g)).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it("--inspector needs Node.js 22.19+: says so on older Node, else starts it through npx", async () => {
    await writeFile(file, serverSource(["a"]));
    if (!nodeAtLeast(process.versions.node, INSPECTOR_NODE)) {
      const r = await runCli(["dev", file, "--inspector"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("The MCP Inspector needs Node.js 22.19 or newer");
      expect(r.stderr).toMatch(/npx @modelcontextprotocol\/inspector \S+ .*dev .*server\.ts/);
    } else {
      // No npx on PATH: the Inspector cannot start, and the cli says so with exit 2.
      const r = await runCli(["dev", file, "--inspector"], { env: { PATH: "" } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("Cannot start the MCP Inspector");
    }
  });
});
