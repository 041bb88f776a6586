import { readdir, readFile } from "node:fs/promises";
import { createServer as createHttpServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { textOf } from "@mcpforge/testing";
import { redisServer } from "@mcpforge/testing/redis";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type CallToolResult, McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { INIT } from "./auth/test-utils/mcp-http.js";
import { httpExample, packageDir, stdioExample } from "./test-utils/examples.js";
import { refusal } from "./test-utils/fixtures.js";

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;

describe("README examples", () => {
  it("the README shows every file of examples/ unchanged", async () => {
    const readme = await readFile(`${packageDir}/README.md`, "utf8");
    const files = await readdir(`${packageDir}/examples`);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const code = await readFile(`${packageDir}/examples/${file}`, "utf8");
      expect(readme, file).toContain(`\`\`\`ts\n// examples/${file}\n${code}\`\`\``);
    }
  });

  it("examples/server.ts answers through all six middleware", async () => {
    await using example = await stdioExample("server");
    expect(textOf(await call(example.client, "echo", { text: "hi" }))).toBe("hi");
  });

  it("examples/timing.ts reports durations and logs the slow nap", async () => {
    await using example = await stdioExample("timing");
    expect(textOf(await call(example.client, "nap"))).toBe("rested");
    expect(example.stderr()).toMatch(/tools\/call took [\d.]+ ms/);
    expect(example.stderr()).toMatch(/"msg":"slow operation".*"method":"tools\/call"/);
  });

  it("examples/logging.ts logs the call with the password redacted", async () => {
    await using example = await stdioExample("logging");
    const args = { user: "ann", password: "hunter2" };
    const text = textOf(await call(example.client, "sign_in", args));
    const correlationId = /^welcome ann \(request (\S+)\)$/.exec(text)?.[1];
    expect(correlationId).toBeDefined();
    await expect.poll(() => example.stderr()).toContain(`"correlationId":"${correlationId}"`);
    expect(example.stderr()).toContain('"arguments":{"user":"ann","password":"[REDACTED]"}');
    expect(example.stderr()).not.toContain("hunter2");
  });

  it("examples/validation.ts limits arguments and refuses unsafe URLs and paths", async () => {
    await using example = await stdioExample("validation");
    const { client } = example;
    const stored = textOf(await call(client, "upload", { name: "<b>a</b>.txt", body: "x" }));
    expect(stored).toMatch(/^<p>stored as [^<>]+<\/p>$/);
    const loopback = await call(client, "fetch_page", { url: "http://127.0.0.1/" });
    expect(loopback.isError).toBe(true);
    const outside = await call(client, "read_doc", { path: "../../etc/passwd" });
    expect(outside.isError).toBe(true);
    const tooLong = await refusal(call(client, "fetch_page", { url: "x".repeat(10_001) }));
    expect(tooLong.code).toBe(-32602);
    expect(tooLong.message).toMatch(/url is 10001 characters long, over the limit of 10000/);
  });

  it("examples/errors.ts exposes NotFound and masks the crash behind a correlation id", async () => {
    await using example = await stdioExample("errors");
    const found = await call(example.client, "find");
    expect(found.isError).toBe(true);
    expect(textOf(found)).toBe("no such order");
    const crash = textOf(await call(example.client, "crash"));
    const correlationId = /^Internal error \(correlation id: ([^)]+)\)$/.exec(crash)?.[1];
    expect(correlationId).toBeDefined();
    expect(crash).not.toContain("password");
    await expect.poll(() => example.stderr()).toContain(`"correlationId":"${correlationId}"`);
    expect(example.stderr()).toContain("db password wrong");
  });

  it("examples/timeout.ts fetches with the handler's signal", async () => {
    const page = createHttpServer((_req, res) => res.end("hello page"));
    await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
    try {
      await using example = await stdioExample("timeout");
      const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
      expect(textOf(await call(example.client, "crawl", { url }))).toBe("hello page");
    } finally {
      page.close();
    }
  });

  it("examples/concurrency.ts renders two PDFs at once and refuses a third", async () => {
    await using example = await stdioExample("concurrency");
    const calls = await Promise.allSettled(
      [1, 2, 3].map(() => call(example.client, "render_pdf", { html: "<h1>hi</h1>" })),
    );
    const done = calls.filter((c) => c.status === "fulfilled");
    const refused = calls.flatMap((c) => (c.status === "rejected" ? [c.reason] : []));
    expect(done.map((c) => textOf(c.value))).toEqual([
      "rendered 11 characters",
      "rendered 11 characters",
    ]);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(McpError);
    expect((refused[0] as McpError).code).toBe(-32010);
    expect((refused[0] as McpError).message).toMatch(/Tool "render_pdf" is busy/);
  });

  it("examples/rate-limit.ts limits the llm tag through its own Redis", async () => {
    const redis = await redisServer();
    await redis.start();
    try {
      await using example = await httpExample("rate-limit", { REDIS_URL: redis.url });
      const client = new Client({ name: "readme-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(example.url)));
      try {
        expect(textOf(await call(client, "send_email", { to: "ann@example.com" }))).toBe(
          "sent to ann@example.com",
        );
        for (let i = 0; i < 10; i++) await call(client, "summarize", { text: `text ${i}` });
        // The bucket refills 1 token per 5 s: on a slow machine a token may have come back
        // while the 10 calls ran, so ask until refused (a few calls at most).
        let limited: unknown;
        for (let i = 0; i < 4 && limited === undefined; i++) {
          limited = await call(client, "summarize", { text: "one more" }).then(
            () => undefined,
            (e: unknown) => e,
          );
        }
        expect(limited).toBeInstanceOf(McpError);
        expect((limited as McpError).code).toBe(-32029);
      } finally {
        await client.close();
      }
    } finally {
      await redis.stop();
    }
  });

  it("examples/auth.ts takes the API key, refuses anonymous callers and serves its metadata", async () => {
    const key = "readme-test-key-0123456789";
    await using example = await httpExample("auth", { CI_API_KEY: key });
    const { port } = new URL(example.url);
    const host = "mcp.example.com";
    const anonymous = await post(port, host, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toContain(
      'resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource"',
    );
    const wrongHost = await post(port, `127.0.0.1:${port}`, { "x-api-key": key });
    expect(wrongHost.status).toBeGreaterThanOrEqual(400);
    const init = await post(port, host, { "x-api-key": key });
    expect(init.status).toBe(200);
    expect(init.body).toContain('"name":"secure"');
    const metadata = await get(port, host, "/.well-known/oauth-protected-resource/mcp");
    expect(JSON.parse(metadata.body)).toMatchObject({
      resource: "https://mcp.example.com/mcp",
      authorization_servers: ["https://login.example.com/"],
    });
  });
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An `initialize` POST with a chosen Host header (fetch cannot set one). */
function post(port: string, host: string, headers: Record<string, string>): Promise<RawAnswer> {
  return raw(port, "POST", "/mcp", JSON.stringify(INIT), {
    host,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    ...headers,
  });
}

function get(port: string, host: string, path: string): Promise<RawAnswer> {
  return raw(port, "GET", path, undefined, { host });
}

function raw(
  port: string,
  method: string,
  path: string,
  body: string | undefined,
  headers: Record<string, string>,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}
