import { readFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { npmEnv } from "./consumer.js";
import { run } from "./exec.js";

/** How an example file is exercised. */
export type ExampleKind = "script" | "stdio-server" | "http-server" | "vitest";

/**
 * What an example is, from its code (comments ignored): a vitest file (`*.test.ts`), an HTTP
 * server (`.listen(`, left running: type-checked only), a stdio server (`.run(`), or a script
 * that runs to its end.
 *
 * @example
 * exampleKind("examples/server.ts", "await app.run();"); // "stdio-server"
 */
export function exampleKind(file: string, code: string): ExampleKind {
  if (/\.test\.m?ts$/.test(file)) return "vitest";
  const bare = code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
  if (/\.listen\(/.test(bare)) return "http-server";
  if (/\.run\(/.test(bare)) return "stdio-server";
  return "script";
}

/** A tool call to make on a stdio server example, with text its answer must contain. */
export interface ExpectedCall {
  tool: string;
  arguments: Record<string, unknown>;
  contains: string;
}

/** Calls known to succeed on particular examples (by path relative to the consumer project). */
const CALLS: Record<string, ExpectedCall> = {
  "packages-core/examples/first-server.ts": {
    tool: "add_note",
    arguments: { title: "Hello", body: "World" },
    contains: '"count":1',
  },
};

/** The environment the examples run in: Redis and a short OTLP timeout for exporters with no collector. */
function exampleEnv(): NodeJS.ProcessEnv {
  return npmEnv({
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    OTEL_EXPORTER_OTLP_TIMEOUT: "2000",
    NO_COLOR: "1",
  });
}

/**
 * Runs a script example with `node --import tsx` in the consumer project; it must exit 0.
 *
 * @example
 * await runScript("/tmp/smoke/consumer", "/tmp/smoke/consumer/packages-cache/examples/tiered.ts");
 */
export async function runScript(consumer: string, file: string): Promise<string> {
  await run(process.execPath, ["--import", "tsx", file], {
    cwd: dirname(dirname(file)),
    env: exampleEnv(),
    timeoutMs: 60_000,
  });
  return `ran ${relative(consumer, file)}`;
}

/**
 * Starts a stdio server example as a client would (`node --import tsx file`), lists its tools
 * and calls one: the expected call when there is one, else the first tool without required
 * arguments, else none.
 *
 * @example
 * await runStdioServer(consumer, `${consumer}/packages-core/examples/first-server.ts`);
 */
export async function runStdioServer(consumer: string, file: string): Promise<string> {
  const rel = relative(consumer, file);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", file],
    cwd: dirname(dirname(file)),
    env: exampleEnv() as Record<string, string>,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const client = new Client({ name: "mcpforge-smoke", version: "1.0.0" });
  try {
    await client.connect(transport, { timeout: 30_000 });
    const { tools } = await client.listTools();
    if (tools.length === 0) throw new Error("lists no tools");
    const expected = CALLS[rel];
    const free = tools.find((tool) => (tool.inputSchema.required ?? []).length === 0);
    const call = expected ?? (free ? { tool: free.name, arguments: {}, contains: "" } : undefined);
    if (!call) return `started ${rel}: ${tools.length} tools (none callable without arguments)`;
    const result = await client.callTool(
      { name: call.tool, arguments: call.arguments },
      undefined,
      {
        timeout: 30_000,
      },
    );
    const text = JSON.stringify(result);
    if (expected && (result.isError || !text.includes(expected.contains)))
      throw new Error(`tools/call ${call.tool} answered ${text}`);
    return `started ${rel}: ${tools.length} tools, tools/call ${call.tool} answered${result.isError ? " (isError)" : ""}`;
  } catch (error) {
    throw new Error(`${rel}: ${(error as Error).message}\n${stderr}`);
  } finally {
    await client.close().catch(() => {});
  }
}

/**
 * Runs the vitest examples in the consumer project with its own vitest.
 *
 * @example
 * await runVitest(consumer, files);
 */
export async function runVitest(consumer: string, files: readonly string[]): Promise<string> {
  if (files.length === 0) return "no vitest examples";
  const { stdout } = await run(
    process.execPath,
    ["node_modules/vitest/vitest.mjs", "run", ...files.map((f) => relative(consumer, f))],
    {
      cwd: consumer,
      env: { ...exampleEnv(), NO_COLOR: "1", FORCE_COLOR: "0" },
      timeoutMs: 180_000,
    },
  );
  const summary = /Tests\s+.*$/m.exec(stdout)?.[0] ?? "passed";
  return `vitest: ${files.length} files, ${summary.trim()}`;
}

/** Reads an example and tells its kind. */
export function kindOfFile(file: string): ExampleKind {
  return exampleKind(file, readFileSync(file, "utf8"));
}
