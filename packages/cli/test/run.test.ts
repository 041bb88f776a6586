import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { cliCommand, DEMO, fixture, runCli, startCli } from "./helpers/cli.js";

async function stdioClient(...args: string[]) {
  const client = new Client({ name: "test", version: "0" });
  await client.connect(new StdioClientTransport({ ...cliCommand(...args), stderr: "pipe" }));
  return client;
}

describe("mcpforge run", () => {
  it("serves demo-basic's default export (a factory) over stdio", async () => {
    const client = await stdioClient("run", DEMO);
    try {
      expect(client.getServerVersion()?.name).toBe("demo-basic");
      const result = await client.callTool({ name: "greet", arguments: { name: "Ada" } });
      expect(result.content).toEqual([{ type: "text", text: "Hello, Ada!" }]);
    } finally {
      await client.close();
    }
  });

  it("takes a named export", async () => {
    const client = await stdioClient("run", `${fixture("env-server.ts")}:server`);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["greeting"]);
    } finally {
      await client.close();
    }
  });

  it("finds an export named app", async () => {
    const client = await stdioClient("run", fixture("clean-server.ts"));
    try {
      expect(client.getServerVersion()?.name).toBe("clean-server");
    } finally {
      await client.close();
    }
  });

  it("serves Streamable HTTP on the given port and path", async () => {
    const server = startCli(["run", DEMO, "--transport", "http", "--port", "0", "--path", "/rpc"]);
    try {
      const [, url] = await server.waitForStderr(/listening on (http:\/\/\S+)/);
      expect(url).toMatch(/\/rpc$/);
      const client = new Client({ name: "test", version: "0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url as string)));
      const result = await client.callTool({ name: "nth_prime", arguments: { n: 5 } });
      expect(result.structuredContent).toMatchObject({ n: 5, prime: 11 });
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it("serves stateless HTTP with --stateless", async () => {
    const server = startCli(["run", DEMO, "--transport", "http", "--port", "0", "--stateless"]);
    try {
      const [, url] = await server.waitForStderr(/listening on (http:\/\/\S+)/);
      const transport = new StreamableHTTPClientTransport(new URL(url as string));
      const client = new Client({ name: "test", version: "0" });
      await client.connect(transport);
      expect(transport.sessionId).toBeUndefined();
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it("exits 2 and lists the exports when the file has no app", async () => {
    const r = await runCli(["run", fixture("no-app.ts")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("No MCP Forge app");
    expect(r.stderr).toContain("Exports seen: answer, helper");
    expect(r.stdout).toBe("");
  });

  it("exits 2 on a missing export, a missing file and a syntax error", async () => {
    const missingExport = await runCli(["run", `${fixture("no-app.ts")}:nope`]);
    expect(missingExport.code).toBe(2);
    expect(missingExport.stderr).toContain('There is no export "nope"');
    const missingFile = await runCli(["run", "does-not-exist.ts"]);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain("No such file: does-not-exist.ts");
    const broken = join(tmpdir(), `mcpforge-broken-${process.pid}.ts`);
    await writeFile(broken, "export const app = {;\n");
    const syntax = await runCli(["run", broken]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/Cannot load .*broken/);
  });

  it("exits 1 on a bad option value", async () => {
    const transport = await runCli(["run", DEMO, "--transport", "pigeon"]);
    expect(transport.code).toBe(1);
    expect(transport.stderr).toMatch(/Allowed choices are stdio, http/);
    const port = await runCli(["run", DEMO, "--port", "70000"]);
    expect(port.code).toBe(1);
    expect(port.stderr).toMatch(/0 to 65535/);
  });
});
