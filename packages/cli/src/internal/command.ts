import type { Command } from "commander";

/** What an action ends with: an exit code, or `running` for a server that keeps the process alive. */
export type Outcome = number | "running";

/** Where the action of the parsed command leaves its outcome. */
export interface Outcomes {
  value: Outcome;
}

/** A command module: adds its command to the program. */
export type RegisterCommand = (program: Command, outcomes: Outcomes) => void;

/**
 * Formats the "Examples:" block every command shows under `--help`.
 *
 * @example
 * import { Command } from "commander";
 * new Command("run").addHelpText("after", examples(["mcpforge run server.ts"]));
 */
export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

/** Collects a repeatable option into a list (`--env A=1 --env B=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses `Name: value` headers. */
export function parseHeaders(lines: string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(":");
    if (at <= 0) throw new Error(`--header must look like "Name: value" (got "${line}")`);
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return headers;
}

/**
 * Adds what every command that talks to a server takes: the `<target>` (a file started over
 * stdio, or an http(s) URL) and repeatable `--header`s for a URL.
 *
 * @example
 * import { Command } from "commander";
 * const program = new Command("mcpforge");
 * withTarget(program.command("list")).option("--json", "print JSON");
 */
export function withTarget(command: Command): Command {
  return command
    .argument("<target>", "server file (started over stdio) or http(s) URL (Streamable HTTP)")
    .option(
      "-H, --header <header>",
      'HTTP header for a URL target, "Name: value" (repeatable)',
      collect,
    );
}
