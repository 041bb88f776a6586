import type { ListenOptions } from "../http/options.js";
import type { McpForgeApp } from "../server/app.js";
import { StdioTransport } from "./stdio.js";

/** Options of {@link runApp}. */
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

/** A function that serves the app over a named transport. */
export type TransportRunner = (app: McpForgeApp<never>) => Promise<void>;

const runners = new Map<string, TransportRunner>();

/**
 * Registers how `app.run()` serves a named transport (used by the HTTP transport).
 *
 * @example
 * registerTransport("http", (app) => app.listen());
 */
export function registerTransport(name: string, runner: TransportRunner): void {
  runners.set(name, runner);
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
 * Serves the app over stdio until stdin closes or a SIGTERM/SIGINT arrives, then exits 0.
 * stdout carries only protocol messages: `console.log` is sent to stderr.
 *
 * @example
 * await runStdio(app);
 */
export async function runStdio(app: McpForgeApp<never>): Promise<void> {
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
      await app.close();
    } finally {
      process.exit(0);
    }
  };
  transport.onclose = () => void shutdown();
  process.once("SIGTERM", () => void shutdown());
  process.once("SIGINT", () => void shutdown());
  await app.connect(transport, { transportName: "stdio" });
}

/**
 * Runs the app over the chosen transport.
 *
 * @example
 * await runApp(app, { transport: "stdio" });
 */
export async function runApp(app: McpForgeApp<never>, options: RunOptions = {}): Promise<void> {
  const name = pickTransport(options);
  if (name === "stdio") return runStdio(app);
  if (name === "http") {
    const env = options.env ?? process.env;
    const port = env.PORT === undefined || env.PORT === "" ? 3000 : Number(env.PORT);
    const handle = await (app as unknown as McpForgeApp).listen({
      ...options.http,
      port: options.http?.port ?? port,
      host: options.http?.host ?? env.HOST ?? "127.0.0.1",
      handleSignals: options.http?.handleSignals ?? true,
    });
    process.stderr.write(`MCP server listening on ${handle.url}\n`);
    return;
  }
  const runner = runners.get(name);
  if (!runner) {
    throw new Error(
      `@mcpforge/core: unknown transport "${name}" (available: ${["stdio", ...runners.keys()].join(", ")})`,
    );
  }
  return runner(app);
}
