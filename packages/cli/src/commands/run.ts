import { InvalidArgumentError, Option } from "commander";
import { examples, type RegisterCommand } from "../internal/command.js";
import { loadApp } from "../load/load-app.js";

/** Parses a TCP port (0 picks a free one). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError("must be an integer from 0 to 65535");
  return port;
}

interface RunFlags {
  transport?: "stdio" | "http";
  host?: string;
  port?: number;
  path?: string;
  stateless?: boolean;
}

/** `mcpforge run <file>[:export]`: loads the app and serves it over stdio or HTTP. */
export const registerRun: RegisterCommand = (program, outcomes) => {
  program
    .command("run")
    .description("Run a server file (TypeScript or JavaScript, no build step) over stdio or HTTP")
    .argument(
      "<file>",
      "server file, optionally with :export (default, app, server, mcp are tried)",
    )
    .addOption(
      new Option(
        "-t, --transport <transport>",
        "transport (default: MCP_TRANSPORT or stdio)",
      ).choices(["stdio", "http"]),
    )
    .option("--host <host>", "HTTP bind address (default 127.0.0.1)")
    .option("--port <port>", "HTTP port (default PORT or 3000; 0 picks a free one)", parsePort)
    .option("--path <path>", "HTTP endpoint path (default /mcp)")
    .option("--stateless", "HTTP without sessions")
    .addHelpText(
      "after",
      examples([
        "mcpforge run server.ts",
        "mcpforge run src/server.ts:createServer",
        "mcpforge run server.ts --transport http --port 8080",
      ]),
    )
    .action(async (target: string, flags: RunFlags) => {
      const { app } = await loadApp(target);
      const http: Record<string, unknown> = {};
      if (flags.host !== undefined) http.host = flags.host;
      if (flags.port !== undefined) http.port = flags.port;
      if (flags.path !== undefined) http.path = flags.path;
      if (flags.stateless) http.mode = "stateless";
      const transport = flags.transport ?? (process.env.MCP_TRANSPORT || "stdio");
      await app.run({ transport, http });
      outcomes.value = "running";
    });
};
