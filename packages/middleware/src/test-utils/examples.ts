// Runs the README's examples (examples/*.ts) as real processes, the way a reader would.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

export const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const NODE_ARGS = ["--conditions=@mcpforge/source", "--import", "tsx"];

/** An example speaking MCP over stdio, connected to the real SDK client. */
export interface StdioExample extends AsyncDisposable {
  client: Client;
  /** Everything the example wrote to stderr so far. */
  stderr(): string;
}

/**
 * Starts `examples/<name>.ts` and connects an SDK client to its stdin/stdout.
 *
 * @example
 * await using example = await stdioExample("timing");
 * await example.client.callTool({ name: "nap", arguments: {} });
 */
export async function stdioExample(name: string): Promise<StdioExample> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...NODE_ARGS, `examples/${name}.ts`],
    cwd: packageDir,
    env: { ...process.env } as Record<string, string>,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "readme-test", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    [Symbol.asyncDispose]: () => client.close(),
  };
}

/** An example serving HTTP, started with `PORT=0`. */
export interface HttpExample extends AsyncDisposable {
  /** The MCP endpoint URL the example printed. */
  url: string;
  stderr(): string;
}

/**
 * Starts `examples/<name>.ts` on an ephemeral port and waits for its `listening on <url>` line.
 *
 * @example
 * await using example = await httpExample("rate-limit", { REDIS_URL: redis.url });
 */
export async function httpExample(
  name: string,
  env: Record<string, string> = {},
): Promise<HttpExample> {
  const child = spawn(process.execPath, [...NODE_ARGS, `examples/${name}.ts`], {
    cwd: packageDir,
    env: { ...process.env, ...env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = /listening on (\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) =>
      reject(new Error(`examples/${name}.ts exited (${code}) before listening:\n${stderr}`)),
    );
  });
  return { url, stderr: () => stderr, [Symbol.asyncDispose]: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}
