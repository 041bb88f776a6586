import { resolve } from "node:path";
import type { Transport } from "@mcpforge/core/client";
import { Client, StdioClientTransport, StreamableHTTPClientTransport } from "@mcpforge/core/client";
import { CliError, EXIT } from "../internal/errors.js";
import { selfCommand } from "../internal/self.js";
import { progress } from "../internal/ui.js";
import { isUrl, parseFileTarget } from "../load/target.js";

/** A connected SDK client and how to let it go. */
export interface Connection {
  client: Client;
  /** What the server wrote on stderr so far (file targets). */
  stderr(): string;
  close(): Promise<void>;
}

/** Options of {@link connectTarget}. */
export interface ConnectTargetOptions {
  /** HTTP headers for a URL target (`--header "Name: value"`). */
  headers?: Record<string, string>;
}

const MAX_STDERR = 64 * 1024;

/**
 * Connects the SDK client to a target: a URL over Streamable HTTP, or a server file started
 * as a child process (`mcpforge run <file>`) over stdio.
 *
 * @example
 * const { client, close } = await connectTarget("src/server.ts");
 */
export async function connectTarget(
  target: string,
  options: ConnectTargetOptions = {},
): Promise<Connection> {
  let transport: Transport;
  let stderr = "";
  if (isUrl(target)) {
    transport = new StreamableHTTPClientTransport(new URL(target), {
      requestInit: { headers: options.headers ?? {} },
    });
  } else {
    const { file, exportName } = parseFileTarget(target);
    const absolute = resolve(file) + (exportName ? `:${exportName}` : "");
    const { command, args } = selfCommand("run", absolute);
    const stdio = new StdioClientTransport({
      command,
      args,
      env: process.env as Record<string, string>,
      stderr: "pipe",
    });
    stdio.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString("utf8");
    });
    transport = stdio;
  }
  const client = new Client({ name: "mcpforge-cli", version: "0.0.0" });
  const step = progress(isUrl(target) ? `Connecting to ${target}` : `Starting ${target}`, {
    quietWhenPiped: true,
  });
  try {
    await client.connect(transport);
    step.done("");
  } catch (err) {
    step.fail();
    await client.close().catch(() => {});
    const detail = stderr.trim() ? `\n${stderr.trim()}` : "";
    throw new CliError(
      `Cannot connect to ${target}: ${(err as Error).message}${detail}`,
      EXIT.load,
    );
  }
  return { client, stderr: () => stderr, close: () => client.close() };
}
