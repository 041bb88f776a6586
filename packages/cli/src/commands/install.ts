import { readFile } from "node:fs/promises";
import { parseEnv } from "node:util";
import { Argument } from "commander";
import { CLIENTS, type ClientName, clientConfig, type ServerEntry } from "../install/clients.js";
import { mergeServer } from "../install/write-config.js";
import { collect, examples, type RegisterCommand } from "../internal/command.js";
import { CliError, EXIT } from "../internal/errors.js";
import { selfCommand } from "../internal/self.js";
import { c, print, say } from "../internal/ui.js";
import { loadApp } from "../load/load-app.js";
import { parseFileTarget } from "../load/target.js";

interface InstallFlags {
  name?: string;
  env?: string[];
  envFile?: string;
}

async function environment(flags: InstallFlags): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  if (flags.envFile) {
    const text = await readFile(flags.envFile, "utf8").catch((err: Error) => {
      throw new CliError(`Cannot read --env-file ${flags.envFile}: ${err.message}`, EXIT.usage);
    });
    Object.assign(env, parseEnv(text));
  }
  for (const pair of flags.env ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new CliError(`--env must look like KEY=value (got "${pair}")`, EXIT.usage);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

/** `mcpforge install <client> <file>`: registers the server in a client's MCP config. */
export const registerInstall: RegisterCommand = (program, outcomes) => {
  program
    .command("install")
    .description(
      "Register a server in an MCP client's config (merged, other servers kept, backup made)",
    )
    .addArgument(new Argument("<client>", "where to install").choices(CLIENTS))
    .argument("<file>", "server file, optionally with :export")
    .option("--name <name>", "server name in the config (default: the app's name)")
    .option("--env <KEY=value>", "environment variable for the server (repeatable)", collect)
    .option("--env-file <file>", "read environment variables from a .env file")
    .addHelpText(
      "after",
      `${examples([
        "mcpforge install claude-desktop server.ts",
        "mcpforge install cursor src/server.ts --name notes --env API_KEY=secret",
        "mcpforge install mcp-json server.ts --env-file .env > mcp.json",
      ])}
Config files (per user):
  claude-desktop  macOS ~/Library/Application Support/Claude/claude_desktop_config.json,
                  Windows %APPDATA%\\Claude\\claude_desktop_config.json, Linux ~/.config/Claude/…
  claude-code     ~/.claude.json (mcpServers, user scope)
  cursor          ~/.cursor/mcp.json
  vscode          the user profile's Code/User/mcp.json ("servers")
  mcp-json        prints { "mcpServers": { … } } on stdout, writes nothing
`,
    )
    .action(async (client: ClientName, target: string, flags: InstallFlags) => {
      const env = await environment(flags);
      const { app, file } = await loadApp(target);
      const { exportName } = parseFileTarget(target);
      const name = flags.name ?? app.name;
      const { command, args } = selfCommand("run", exportName ? `${file}:${exportName}` : file);
      const server: ServerEntry = { command, args };
      if (Object.keys(env).length > 0) server.env = env;
      if (client === "mcp-json") {
        print(JSON.stringify({ mcpServers: { [name]: server } }, null, 2));
        outcomes.value = 0;
        return;
      }
      const config = clientConfig(client);
      const result = await mergeServer(config.file, config.key, name, config.entry(server));
      say(`${c.green("✔")} ${result.replaced ? "Updated" : "Added"} "${name}" in ${config.file}`);
      if (result.backup) say(`  previous file kept as ${result.backup}`);
      say(`  restart ${client} to pick it up`);
      outcomes.value = 0;
    });
};
