import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  Client,
  createClientTransport,
  HttpClientTransport,
  StdioClientTransport,
} from "../src/client.js";
import { createServer } from "../src/index.js";

const fixture = fileURLToPath(new URL("./fixtures/stdio-server.ts", import.meta.url));
const tsx = ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href];

describe("@mcpforge/core/client", () => {
  it("createClientTransport({ command }) spawns a stdio server the SDK client talks to", async () => {
    const transport = createClientTransport({
      command: process.execPath,
      args: [...tsx, fixture],
      env: { FIXTURE_MARK: "1" },
      stderr: "ignore",
    });
    expect(transport).toBeInstanceOf(StdioClientTransport);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(transport);
    const r = await client.callTool({ name: "echo", arguments: { text: "via core/client" } });
    expect(r.content).toEqual([{ type: "text", text: "via core/client" }]);
    await client.close();
  });

  it("createClientTransport({ url, headers }) talks Streamable HTTP, sending the headers", async () => {
    const app = createServer({ name: "h", version: "1" });
    const seen: (string | undefined)[] = [];
    app.useHttp((req) => {
      seen.push(req.headers["x-token"] as string | undefined);
    });
    app.tool("hi", {}, () => "hello");
    const http = await app.listen({ port: 0 });
    try {
      const transport = createClientTransport({ url: http.url, headers: { "x-token": "abc" } });
      expect(transport).toBeInstanceOf(HttpClientTransport);
      const client = new Client({ name: "t", version: "1" });
      await client.connect(transport);
      const r = await client.callTool({ name: "hi", arguments: {} });
      expect(r.content).toEqual([{ type: "text", text: "hello" }]);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((h) => h === "abc")).toBe(true);
      await client.close();
    } finally {
      await http.close();
    }
  });

  it("checks the target", () => {
    const bad: [unknown, RegExp][] = [
      [null, /the target must be/],
      [{ command: "" }, /command must be a non-empty string/],
      [{ command: "node", args: [1] }, /args must be an array of strings/],
      [{ command: "node", env: { A: 1 } }, /env\.A must be a string/],
      [{ command: "node", cwd: "" }, /cwd must be a non-empty string/],
      [{ url: "ftp://x" }, /url must be an http/],
      [{ url: "not a url" }, /url must be an http/],
      [{ url: "http://x", headers: { a: 1 } }, /headers\.a must be a string/],
      [{ url: "http://x", command: "node" }, /either \{ command \} or \{ url \}/],
    ];
    for (const [target, message] of bad) {
      expect(() => createClientTransport(target as never), JSON.stringify(target)).toThrow(message);
    }
  });
});
