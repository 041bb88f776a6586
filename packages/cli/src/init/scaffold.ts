import { spawn } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { CliError, EXIT } from "../internal/errors.js";
import { cliPackage } from "../internal/package-info.js";
import { progress } from "../internal/ui.js";
import { projectFiles } from "./templates.js";

/** Options of {@link scaffold}. */
export interface ScaffoldOptions {
  dir: string;
  name?: string;
  /** A folder of `pnpm pack` / `npm pack` tarballs of `@mcpforge/*` to depend on instead of the registry. */
  from?: string;
  install: boolean;
}

const FORGE = ["core", "testing", "cli"] as const;

/** A valid npm name from a folder name. */
function packageName(dir: string): string {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+/, "");
  return name || "mcp-server";
}

/** The version range the cli itself was published with for a sibling package. */
function publishedRange(pkg: "core" | "testing" | "cli"): string {
  const own = cliPackage();
  if (pkg === "cli") return `^${own.version}`;
  const range =
    own.dependencies?.[`@mcpforge/${pkg}`] ?? own.peerDependencies?.[`@mcpforge/${pkg}`];
  return range && !range.startsWith("workspace:") ? range : "latest";
}

/** `file:` specs for the tarballs found in a folder (`mcpforge-core-0.1.0.tgz`, …). */
async function tarballs(from: string): Promise<Partial<Record<(typeof FORGE)[number], string>>> {
  const dir = resolve(from);
  const names = await readdir(dir).catch(() => {
    throw new CliError(`--from: cannot read ${from}`, EXIT.usage);
  });
  const found: Partial<Record<(typeof FORGE)[number], string>> = {};
  for (const pkg of FORGE) {
    const tgz = names
      .filter((n) => new RegExp(`^mcpforge-${pkg}-\\d.*\\.tgz$`).test(n))
      .sort()
      .at(-1);
    if (tgz) found[pkg] = `file:${join(dir, tgz)}`;
  }
  if (Object.keys(found).length === 0)
    throw new CliError(`--from: no mcpforge-*.tgz tarballs in ${from}`, EXIT.usage);
  return found;
}

function npmInstall(cwd: string): Promise<void> {
  const step = progress("Installing dependencies (npm install)");
  return new Promise((done, fail) => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const child = spawn(npm, ["install", "--no-audit", "--no-fund"], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    let output = "";
    const keep = (d: Buffer) => {
      output += d.toString("utf8");
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (err) => {
      step.fail();
      fail(new CliError(`Cannot run npm: ${err.message}`, EXIT.usage));
    });
    child.on("close", (code) => {
      if (code === 0) {
        step.done("Installed dependencies");
        return done();
      }
      step.fail();
      fail(new CliError(`npm install failed (exit ${code}):\n${output.trim()}`, EXIT.usage));
    });
  });
}

/**
 * Creates a new MCP Forge project: package.json, server.ts, a test, tsconfig, README, and
 * (unless `install` is false) runs `npm install`.
 *
 * @example
 * await scaffold({ dir: "weather", install: true });
 */
export async function scaffold(options: ScaffoldOptions): Promise<string[]> {
  const dir = resolve(options.dir);
  const existing = await readdir(dir).catch(() => [] as string[]);
  if (existing.some((f) => f !== ".git")) {
    throw new CliError(`${options.dir} is not empty; pick a new folder`, EXIT.usage);
  }
  const local = options.from ? await tarballs(options.from) : {};
  const forge = {
    core: local.core ?? publishedRange("core"),
    testing: local.testing ?? publishedRange("testing"),
    cli: local.cli ?? publishedRange("cli"),
  };
  const files = projectFiles({
    name: options.name ?? packageName(dir),
    forge,
    local: options.from !== undefined,
  });
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  if (options.install) await npmInstall(dir);
  return Object.keys(files);
}
