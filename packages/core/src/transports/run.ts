import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { ListenOptions } from "../http/options.js";
import { StdioTransport } from "./stdio.js";

/** Options of `app.run()`. */
export interface RunOptions {
  /**
   * `stdio` (default) or `http` (also `streamable-http`); else `--transport` on the command line,
   * else `MCP_TRANSPORT`.
   */
  transport?: string;
  /** Command-line arguments to read `--transport` from (default `process.argv`). */
  argv?: readonly string[];
  /** Environment to read `MCP_TRANSPORT` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /**
   * Options for the HTTP transport. Unset fields come from the environment: `PORT` (default
   * 3000), `HOST` (default 127.0.0.1) and `ALLOWED_HOSTS` (comma-separated Host values, e.g.
   * `mcp.example.com` — needed to bind `HOST=0.0.0.0` in a container without code changes).
   */
  http?: ListenOptions;
}

/** What the stdio runner needs from the app. */
export interface StdioHost {
  /** The server's name, for the line printed when stdin is a terminal. */
  readonly name: string;
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

/** Transport names `app.run()` accepts, and what each means. */
const TRANSPORTS: Readonly<Record<string, "stdio" | "http">> = {
  stdio: "stdio",
  http: "http",
  // FastMCP's names for Streamable HTTP.
  "streamable-http": "http",
  streamable_http: "http",
  "streamable-https": "http",
};

/**
 * Where `app.run()` serves: stdio, or Streamable HTTP with listen options filled from the
 * environment (`PORT`, `HOST`, `ALLOWED_HOSTS`). Throws a clear error naming the variable or the
 * transport that is wrong.
 *
 * @example
 * resolveRun({ transport: "streamable-http", env: { PORT: "8080" } });
 * // { transport: "http", http: { port: 8080, host: "127.0.0.1", handleSignals: true } }
 */
export function resolveRun(
  options: RunOptions = {},
): { transport: "stdio" } | { transport: "http"; http: ListenOptions } {
  const name = pickTransport(options);
  const kind = TRANSPORTS[name.toLowerCase()];
  if (kind === undefined) {
    const legacy =
      name.toLowerCase() === "sse"
        ? ' — the legacy HTTP+SSE transport is not served; use "http" (Streamable HTTP), which current clients speak'
        : "";
    throw new Error(
      `@mcpforge/core: unknown transport "${name}" (available: stdio, http; "streamable-http" means http)${legacy}`,
    );
  }
  if (kind === "stdio") return { transport: "stdio" };
  const env = options.env ?? process.env;
  const http: ListenOptions = { ...options.http };
  if (http.port === undefined) {
    const raw = env.PORT;
    if (raw !== undefined && raw !== "") {
      const port = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port > 65535) {
        throw new Error(
          `@mcpforge/core: PORT=${JSON.stringify(raw)} is not a port: set PORT to a number from 0 to 65535 (0 picks a free one)`,
        );
      }
      http.port = port;
    } else {
      http.port = 3000;
    }
  }
  http.host ??= env.HOST || "127.0.0.1";
  if (http.allowedHosts === undefined && env.ALLOWED_HOSTS) {
    const hosts = env.ALLOWED_HOSTS.split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    if (hosts.length > 0) http.allowedHosts = hosts;
  }
  http.handleSignals ??= true;
  return { transport: "http", http };
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
  if (process.stdin.isTTY) {
    process.stderr.write(
      `MCP server "${host.name}" speaking MCP on stdin/stdout; connect a client (e.g. npx @modelcontextprotocol/inspector) or press Ctrl-C\n`,
    );
  }
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
