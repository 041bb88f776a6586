import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../test/helpers/cli.js";

const cwd = fileURLToPath(new URL("..", import.meta.url));
const readme = () => readFile(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("shows examples/notes-server.ts unchanged", async () => {
    const code = await readFile(new URL("../examples/notes-server.ts", import.meta.url), "utf8");
    expect(await readme()).toContain(`\`\`\`ts\n// examples/notes-server.ts\n${code}\`\`\``);
  });

  it("runs its inspect, call and check examples as shown", async () => {
    const text = await readme();
    expect(text).toContain('mcpforge call examples/notes-server.ts add_note text="buy milk"');
    const inspect = await runCli(["inspect", "examples/notes-server.ts", "--json"], { cwd });
    expect(inspect.code).toBe(0);
    expect(JSON.parse(inspect.stdout).tools.map((t: { name: string }) => t.name)).toEqual([
      "add_note",
      "search_notes",
    ]);
    const add = await runCli(["call", "examples/notes-server.ts", "add_note", "text=buy milk"], {
      cwd,
    });
    expect(JSON.parse(add.stdout)).toEqual({ id: 1, count: 1 });
    const search = await runCli(
      ["call", "examples/notes-server.ts", "search_notes", "word=milk", "limit=3"],
      { cwd },
    );
    expect(search).toMatchObject({ code: 0, stdout: "no notes\n" });
    const check = await runCli(["check", "examples/notes-server.ts"], { cwd });
    expect(check.code).toBe(0);
    expect(check.stderr).toContain("no findings");
  });
});
