import { relative } from "node:path";
import { scaffold } from "../init/scaffold.js";
import { examples, type RegisterCommand } from "../internal/command.js";
import { c, say } from "../internal/ui.js";

interface InitFlags {
  name?: string;
  from?: string;
  install: boolean;
}

/** `mcpforge init [dir]` (also `npm create mcpforge`): scaffolds a project. */
export const registerInit: RegisterCommand = (program, outcomes) => {
  program
    .command("init")
    .description(
      "Create a new MCP Forge project (server.ts, a test, tsconfig, README) and install it",
    )
    .argument("[dir]", "folder to create (must be empty or new)", ".")
    .option("--name <name>", "package and server name (default: the folder name)")
    .option(
      "--from <dir>",
      "depend on @mcpforge/* tarballs in this folder (pnpm pack output) instead of the registry (env MCPFORGE_TARBALLS)",
    )
    .option("--no-install", "do not run npm install")
    .addHelpText(
      "after",
      examples([
        "mcpforge init weather-server",
        "npm create mcpforge weather-server",
        "mcpforge init . --no-install",
      ]),
    )
    .action(async (dir: string, flags: InitFlags) => {
      const from = flags.from ?? (process.env.MCPFORGE_TARBALLS || undefined);
      const files = await scaffold({
        dir,
        install: flags.install,
        ...(flags.name ? { name: flags.name } : {}),
        ...(from ? { from } : {}),
      });
      say(`${c.green("✔")} Created ${files.join(", ")} in ${dir}`);
      const cd = relative(process.cwd(), dir);
      const steps = [
        cd ? `cd ${cd}` : "",
        flags.install ? "" : "npm install",
        "npm test",
        "npx mcpforge run server.ts",
      ];
      say(
        `\nNext:\n${steps
          .filter(Boolean)
          .map((s) => `  ${s}`)
          .join("\n")}`,
      );
      outcomes.value = 0;
    });
};
