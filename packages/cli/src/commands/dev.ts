import { spawn } from "node:child_process";
import { dirname, relative, resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import { StdioProxy } from "../dev/stdio-proxy.js";
import { watchSources } from "../dev/watch.js";
import { examples, type RegisterCommand } from "../internal/command.js";
import { CliError, EXIT } from "../internal/errors.js";
import { selfCommand } from "../internal/self.js";
import { c, say } from "../internal/ui.js";
import { parseFileTarget } from "../load/target.js";

/** The MCP Inspector's minimum Node.js version. */
export const INSPECTOR_NODE = [22, 19] as const;

/**
 * Whether a Node.js version is at least `major.minor`.
 *
 * @example
 * nodeAtLeast("20.20.2", [22, 19]); // false
 */
export function nodeAtLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const [m = 0, n = 0] = version.split(".").map(Number);
  return m > major || (m === major && n >= minor);
}

function parseDebounce(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000)
    throw new InvalidArgumentError("must be an integer from 0 to 60000");
  return ms;
}

interface DevFlags {
  inspector?: boolean;
  watch?: string;
  debounce: number;
}

/** `mcpforge dev <file>`: serves over stdio and restarts the server on changes. */
export const registerDev: RegisterCommand = (program, outcomes) => {
  program
    .command("dev")
    .description(
      "Run a server over stdio and restart it when files change; the client stays connected",
    )
    .argument("<file>", "server file, optionally with :export")
    .option("--inspector", "open the MCP Inspector on it (needs Node.js 22.19+)")
    .option("--watch <dir>", "folder to watch (default: the server file's folder)")
    .option("--debounce <ms>", "wait this long after the last change", parseDebounce, 150)
    .addHelpText(
      "after",
      `${examples([
        "mcpforge dev server.ts",
        "mcpforge dev src/server.ts --inspector",
        "mcpforge dev src/server.ts --watch src",
      ])}
The client connects to this process over stdio. On a change a new server is started; once it
answers the client's initialize (replayed), it replaces the old one and the client gets
tools/resources/prompts list_changed notifications. A file that fails to load (a syntax error)
is reported and the last good server keeps running.
`,
    )
    .action(async (target: string, flags: DevFlags) => {
      const { file, exportName } = parseFileTarget(target);
      const absolute = resolve(file) + (exportName ? `:${exportName}` : "");
      if (flags.inspector) {
        if (!nodeAtLeast(process.versions.node, INSPECTOR_NODE)) {
          const self = selfCommand("dev", absolute);
          throw new CliError(
            `The MCP Inspector needs Node.js ${INSPECTOR_NODE.join(".")} or newer; this is ${process.versions.node}.\n` +
              `Run it with a newer Node.js:\n  npx @modelcontextprotocol/inspector ${[self.command, ...self.args].join(" ")}`,
            EXIT.usage,
          );
        }
        const self = selfCommand("dev", absolute);
        const npx = process.platform === "win32" ? "npx.cmd" : "npx";
        const child = spawn(
          npx,
          ["-y", "@modelcontextprotocol/inspector", self.command, ...self.args],
          {
            stdio: "inherit",
            shell: process.platform === "win32",
          },
        );
        child.on("error", (err) => {
          say(`${c.red("error:")} Cannot start the MCP Inspector (${npx}): ${err.message}`);
          process.exit(EXIT.load);
        });
        child.on("exit", (code) => process.exit(code ?? 0));
        outcomes.value = "running";
        return;
      }
      const root = resolve(flags.watch ?? dirname(resolve(file)));
      const proxy = new StdioProxy(absolute);
      let closeWatcher: (() => Promise<void>) | undefined;
      const shutdown = async () => {
        await closeWatcher?.();
        await proxy.stop();
        process.exit(0);
      };
      process.once("SIGINT", () => void shutdown());
      process.once("SIGTERM", () => void shutdown());
      proxy.start(() => void shutdown());
      closeWatcher = await watchSources(root, flags.debounce, (files) => {
        const names = files.map((f) => relative(process.cwd(), f)).join(", ");
        say(c.dim(`Changed: ${names}; restarting`));
        void proxy.restart();
      });
      say(`Watching ${relative(process.cwd(), root) || "."} for changes`);
      outcomes.value = "running";
    });
};
