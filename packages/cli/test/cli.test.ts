import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cliCommand, DEMO, runCli } from "./helpers/cli.js";

const run = promisify(execFile);

/** Runs the cli on a pseudo-terminal (util-linux \`script\`) and returns what the terminal showed. */
async function onTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { command, args: argv } = cliCommand(...args);
  const line = [command, ...argv].map((a) => `'${a}'`).join(" ");
  const { stdout } = await run("script", ["-qec", line, "/dev/null"], {
    env: { ...process.env, TERM: "xterm", ...env },
  });
  return stdout;
}

const COMMANDS = ["run", "dev", "inspect", "list", "call", "check", "install", "init"];

describe("mcpforge", () => {
  it("--help lists every command with examples and exits 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const command of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    expect(r.stdout).toContain("Examples:");
  });

  it.each(COMMANDS)("%s --help shows an example", async (command) => {
    const r = await runCli([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toMatch(new RegExp(`\\$ (mcpforge ${command}|npm create)`));
  });

  it("exits 1 on usage errors, with the message on stderr", async () => {
    const unknown = await runCli(["frobnicate"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command/);
    expect(unknown.stdout).toBe("");
    const missing = await runCli(["run"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing required argument 'file'/);
  });

  it("prints the version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("writes no ANSI colors when stderr is not a TTY", async () => {
    const r = await runCli(["run", "missing-file.ts"], { env: { NO_COLOR: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("\x1b[");
  });

  it("colors a terminal, but not with NO_COLOR", async () => {
    const colored = await onTerminal(["list", DEMO], { NO_COLOR: "" });
    expect(colored).toContain("\x1b[1mgreet\x1b[22m");
    const plain = await onTerminal(["list", DEMO], { NO_COLOR: "1" });
    expect(plain).toContain("greet");
    const SGR = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`);
    expect(colored).toMatch(SGR);
    expect(plain).not.toMatch(SGR);
  });
});
