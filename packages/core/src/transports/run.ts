import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { ListenOptions } from "../http/options.js";
import { StdioTransport } from "./stdio.js";

/** Options of `app.run()`. */
export interface RunOptions {
  /** `stdio` (default) or `http`; also `--transport` on the command line or `MCP_TRANSPORT`. */
  transport?: string;
  /** Command-line arguments to read `--transport` from (default `process.argv`). */
  argv?: readonly string[];
  /** Environment to read `MCP_TRANSPORT` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Options for the HTTP transport (`PORT`/`HOST` from the environment fill port and host). */
  http?: ListenOptions;
}

/** What the stdio runner needs from the app. */
export interface StdioHost {
  connect(transport: Transport, options: { transportName: string }): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Picks the transport: the explicit option, then `--transport X` / `--transport=X`,
 * then `MCP_TRANSPORT`, else `stdio`.
 *
 * @example
 * pickTransport({ argv: ["node", "s.js", "--transport", "http"] }); // "http"
 */
export function pickTransport(options: RunOptions = {}): string {
  if (options.transport) return options.transport;
  const argv = options.argv ?? process.argv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--transport" && argv[i + 1]) return argv[i + 1] as string;
    if (arg.startsWith("--transport=")) return arg.slice("--transport=".length);
  }
  return (options.env ?? process.env).MCP_TRANSPORT || "stdio";
}

/**
 * Serves a host over stdio until stdin closes or a SIGTERM/SIGINT arrives, then exits 0.
 * stdout carries only protocol messages: `console.log` is sent to stderr.
 *
 * @example
 * await runStdio(app);
 */
export async function runStdio(host: StdioHost): Promise<void> {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const transport = new StdioTransport();
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    try {
      await host.close();
    } finally {
      process.exit(0);
    }
  };
  transport.onclose = () => void shutdown();
  process.once("SIGTERM", () => void shutdown());
  process.once("SIGINT", () => void shutdown());
  await host.connect(transport, { transportName: "stdio" });
}
