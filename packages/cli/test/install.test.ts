import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { parse } from "jsonc-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO, fixture, runCli } from "./helpers/cli.js";

interface Entry {
  type?: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

let home: string;
const env = () => ({ HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: "", APPDATA: "" });

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "mcpforge-home-"));
});

afterEach(() => rm(home, { recursive: true, force: true }));

/** Starts the written command from the temp HOME (another cwd) and asks its greeting tool. */
async function greetingOf(entry: Entry): Promise<unknown> {
  const client = new Client({ name: "test", version: "0" });
  await client.connect(
    new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: { PATH: process.env.PATH ?? "", HOME: home, ...entry.env },
      cwd: home,
      stderr: "pipe",
    }),
  );
  try {
    const result = await client.callTool({ name: "greeting", arguments: {} });
    return (result.content as { text: string }[])[0]?.text;
  } finally {
    await client.close();
  }
}

const CASES = [
  {
    client: "claude-desktop",
    file: ".config/Claude/claude_desktop_config.json",
    key: "mcpServers",
    type: undefined,
  },
  { client: "claude-code", file: ".claude.json", key: "mcpServers", type: "stdio" },
  { client: "cursor", file: ".cursor/mcp.json", key: "mcpServers", type: undefined },
  { client: "vscode", file: ".config/Code/User/mcp.json", key: "servers", type: "stdio" },
] as const;

describe("mcpforge install", () => {
  it.each(
    CASES,
  )("$client: merges into $file, keeps the rest, backs up, and the command runs", async (c) => {
    const file = join(home, c.file);
    await mkdir(dirname(file), { recursive: true });
    const before = `{
  // kept: another server and an unrelated setting
  "theme": "dark",
  "${c.key}": { "other": { "command": "other-server", "args": [] } }
}
`;
    await writeFile(file, before);
    const r = await runCli(
      [
        "install",
        c.client,
        `${fixture("env-server.ts")}:server`,
        "--name",
        "envy",
        "--env",
        "MCPFORGE_TEST_GREETING=hi from env",
      ],
      { env: env() },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Added "envy" in ${file}`);
    expect(await readFile(`${file}.bak`, "utf8")).toBe(before);
    const text = await readFile(file, "utf8");
    expect(text).toContain("// kept: another server and an unrelated setting");
    const config = parse(text) as Record<string, unknown>;
    expect(config.theme).toBe("dark");
    const servers = config[c.key] as Record<string, Entry>;
    expect(servers.other).toEqual({ command: "other-server", args: [] });
    const entry = servers.envy as Entry;
    expect(entry.type).toBe(c.type);
    expect(entry.command).toBe(process.execPath);
    expect(entry.args.slice(-2)).toEqual(["run", `${fixture("env-server.ts")}:server`]);
    expect(isAbsolute(entry.args.at(-3) as string)).toBe(true);
    expect(entry.env).toEqual({ MCPFORGE_TEST_GREETING: "hi from env" });
    expect(await greetingOf(entry)).toBe("hi from env");
  });

  it("creates a missing config file, names the server after the app, and replaces on reinstall", async () => {
    const first = await runCli(["install", "cursor", DEMO], { env: env() });
    expect(first.code, first.stderr).toBe(0);
    const file = join(home, ".cursor/mcp.json");
    const config = JSON.parse(await readFile(file, "utf8"));
    expect(Object.keys(config.mcpServers)).toEqual(["demo-basic"]);
    const again = await runCli(["install", "cursor", DEMO], { env: env() });
    expect(again.stderr).toContain('Updated "demo-basic"');
    expect(Object.keys(JSON.parse(await readFile(file, "utf8")).mcpServers)).toEqual([
      "demo-basic",
    ]);
  });

  it("honours XDG_CONFIG_HOME for claude-desktop on Linux", async () => {
    const xdg = join(home, "xdg");
    const r = await runCli(["install", "claude-desktop", DEMO], {
      env: { ...env(), XDG_CONFIG_HOME: xdg },
    });
    expect(r.code, r.stderr).toBe(0);
    const config = JSON.parse(
      await readFile(join(xdg, "Claude/claude_desktop_config.json"), "utf8"),
    );
    expect(config.mcpServers["demo-basic"].args.at(-1)).toBe(DEMO);
  });

  it("mcp-json prints the mcpServers JSON, with variables from --env-file, and writes nothing", async () => {
    const envFile = join(home, ".env");
    await writeFile(envFile, "MCPFORGE_TEST_GREETING=from the file\n# a comment\nOTHER=1\n");
    const r = await runCli(
      [
        "install",
        "mcp-json",
        `${fixture("env-server.ts")}:server`,
        "--env-file",
        envFile,
        "--env",
        "OTHER=2",
      ],
      { env: env() },
    );
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout) as { mcpServers: Record<string, Entry> };
    const entry = printed.mcpServers["env-server"] as Entry;
    expect(entry.env).toEqual({ MCPFORGE_TEST_GREETING: "from the file", OTHER: "2" });
    expect(await greetingOf(entry)).toBe("from the file");
  });

  it("refuses to touch a config file that is not valid JSON (exit 1)", async () => {
    const file = join(home, ".cursor/mcp.json");
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, "{ not json");
    const r = await runCli(["install", "cursor", DEMO], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is not valid JSON");
    expect(await readFile(file, "utf8")).toBe("{ not json");
  });

  it("exits 1 on an unknown client or a bad --env", async () => {
    expect((await runCli(["install", "emacs", DEMO], { env: env() })).code).toBe(1);
    const bad = await runCli(["install", "cursor", DEMO, "--env", "NOVALUE"], { env: env() });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--env must look like KEY=value");
  });
});
