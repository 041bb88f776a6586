import { Command, CommanderError } from "commander";
import { registerCall } from "./commands/call.js";
import { registerCheck } from "./commands/check.js";
import { registerDev } from "./commands/dev.js";
import { registerInit } from "./commands/init.js";
import { registerInspect } from "./commands/inspect.js";
import { registerInstall } from "./commands/install.js";
import { registerList } from "./commands/list.js";
import { registerRun } from "./commands/run.js";
import { examples, type Outcome, type Outcomes } from "./internal/command.js";
import { CliError, EXIT } from "./internal/errors.js";
import { cliPackage } from "./internal/package-info.js";
import { c, say } from "./internal/ui.js";

/** The `mcpforge` program with every command. */
function createProgram(outcomes: Outcomes): Command {
  const program = new Command("mcpforge")
    .description("Run, develop, inspect, call, check and install MCP Forge servers")
    .version(cliPackage().version, "-v, --version")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(c.red(text)) })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      `${examples([
        "mcpforge run server.ts",
        "mcpforge inspect server.ts",
        "mcpforge call server.ts greet name=Ada",
        "mcpforge check server.ts",
        "mcpforge install claude-desktop server.ts",
        "mcpforge init my-server",
      ])}\nExit codes: 0 ok, 1 usage or user error, 2 cannot load or connect, 3 the server returned an error.\n`,
    );
  for (const register of [
    registerRun,
    registerDev,
    registerInspect,
    registerList,
    registerCall,
    registerCheck,
    registerInstall,
    registerInit,
  ]) {
    register(program, outcomes);
  }
  return program;
}

/**
 * Runs the `mcpforge` command line; resolves with the exit code, or `running` when a server
 * keeps the process alive (`run`, `dev`).
 *
 * @example
 * const outcome = await main(["node", "mcpforge", "check", "server.ts"]);
 */
export async function main(argv: readonly string[] = process.argv): Promise<Outcome> {
  const outcomes: Outcomes = { value: EXIT.ok };
  const program = createProgram(outcomes);
  try {
    await program.parseAsync([...argv]);
    return outcomes.value;
  } catch (err) {
    if (err instanceof CommanderError) {
      const quiet = ["commander.helpDisplayed", "commander.help", "commander.version"];
      return quiet.includes(err.code) ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      say(`${c.red("error:")} ${err.message}`);
      return err.exitCode;
    }
    say(`${c.red("error:")} ${(err as Error)?.stack ?? String(err)}`);
    return EXIT.usage;
  }
}
