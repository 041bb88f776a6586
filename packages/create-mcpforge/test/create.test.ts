import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../bin/create-mcpforge.js", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
// From source in the repo: the cli resolves through the @mcpforge/source condition and tsx.
const FLAGS = ["--conditions=@mcpforge/source", `--import=${tsx}`];

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "create-mcpforge-"));
});

afterAll(() => rm(work, { recursive: true, force: true }));

describe("create-mcpforge", () => {
  it("scaffolds a project like mcpforge init", async () => {
    const dir = join(work, "my-server");
    const { stderr } = await run(process.execPath, [...FLAGS, BIN, dir, "--no-install"], {
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(stderr).toContain("Created package.json, server.ts");
    expect((await readdir(dir)).sort()).toContain("server.test.ts");
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    expect(pkg.name).toBe("my-server");
    expect(pkg.scripts.start).toBe("mcpforge run server.ts");
  });

  it("passes the exit code through (1 for a folder that is not empty)", async () => {
    const dir = join(work, "my-server");
    const failed = await run(process.execPath, [...FLAGS, BIN, dir, "--no-install"]).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain("is not empty");
  });
});
