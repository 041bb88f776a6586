import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";

// Slow: builds and packs core, testing and cli, then runs npm install in a new project.
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MINUTES = 60_000;

let work: string;
let tarballs: string;
let project: string;

/** The environment of a user: no workspace source condition, no tsx preloaded. */
const userEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.NODE_OPTIONS;
  return env;
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "mcpforge-init-"));
  tarballs = join(work, "tarballs");
  await run("pnpm", ["--filter", "@mcpforge/cli...", "build"], { cwd: ROOT });
  for (const pkg of ["core", "testing", "cli"]) {
    await run("pnpm", ["pack", "--pack-destination", tarballs], {
      cwd: join(ROOT, "packages", pkg),
    });
  }
  project = join(work, "weather-server");
}, 5 * MINUTES);

afterAll(() => rm(work, { recursive: true, force: true }));

describe("mcpforge init", () => {
  it(
    "scaffolds a project that passes npm install, npm test and npx mcpforge run/check",
    async () => {
      expect((await readdir(tarballs)).sort()).toEqual([
        expect.stringMatching(/^mcpforge-cli-.*\.tgz$/),
        expect.stringMatching(/^mcpforge-core-.*\.tgz$/),
        expect.stringMatching(/^mcpforge-testing-.*\.tgz$/),
      ]);
      const init = await runCli(["init", project], {
        env: { ...userEnv(), MCPFORGE_TARBALLS: tarballs },
        timeoutMs: 8 * MINUTES,
      });
      expect(init.code, init.stderr).toBe(0);
      expect(init.stderr).toContain("Installing dependencies (npm install)…");
      expect(init.stderr).toContain("Installed dependencies");
      expect(init.stderr).toMatch(/Created package\.json, server\.ts, server\.test\.ts/);
      expect((await readdir(project)).sort()).toEqual(
        [
          ".gitignore",
          "README.md",
          "node_modules",
          "package-lock.json",
          "package.json",
          "server.test.ts",
          "server.ts",
          "tsconfig.json",
        ].sort(),
      );
      const pkg = JSON.parse(await readFile(join(project, "package.json"), "utf8"));
      expect(pkg.name).toBe("weather-server");
      expect(pkg.dependencies["@mcpforge/core"]).toMatch(/^file:.*mcpforge-core-.*\.tgz$/);

      const env = userEnv();
      const test = await run("npm", ["test"], { cwd: project, env, timeout: 3 * MINUTES });
      expect(test.stdout).toMatch(/3 passed/);

      const client = new Client({ name: "test", version: "0" });
      await client.connect(
        new StdioClientTransport({
          command: "npx",
          args: ["mcpforge", "run", "server.ts"],
          cwd: project,
          env: env as Record<string, string>,
          stderr: "pipe",
        }),
      );
      try {
        expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["greet", "add"]);
        const added = await client.callTool({ name: "add", arguments: { a: 2, b: 40 } });
        expect(added.structuredContent).toEqual({ sum: 42 });
      } finally {
        await client.close();
      }

      const check = await run("npx", ["mcpforge", "check", "server.ts", "--strict"], {
        cwd: project,
        env,
      });
      expect(check.stderr).toContain("no findings");
      const typecheck = await run("npm", ["run", "typecheck"], { cwd: project, env });
      expect(typecheck.stderr).not.toMatch(/error TS/);
    },
    15 * MINUTES,
  );

  it("depends on published versions without --from, and refuses a folder that is not empty", async () => {
    const dir = join(work, "plain");
    const r = await runCli(["init", dir, "--no-install", "--name", "plain-server"]);
    expect(r.code, r.stderr).toBe(0);
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    expect(pkg.name).toBe("plain-server");
    expect(pkg.devDependencies["@mcpforge/cli"]).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(pkg.overrides).toBeUndefined();
    expect(await readFile(join(dir, "server.ts"), "utf8")).toContain('name: "plain-server"');
    await writeFile(join(dir, "extra.txt"), "x");
    const again = await runCli(["init", dir, "--no-install"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("is not empty");
  });
});
