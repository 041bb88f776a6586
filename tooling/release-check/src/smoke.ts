#!/usr/bin/env node
// The consumer smoke test (see CONTRIBUTING.md, "Releases"): builds and packs every published
// package, checks each tarball's contents, runs publint --strict and attw --profile esm-only,
// installs the tarballs with plain npm in a project outside the workspace, type-checks every
// README code block against them with TypeScript 5.x and 7.x (no skipLibCheck), and runs the
// runnable examples there. Exit code 1 on any problem. `--keep` keeps the temporary folder.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  checkEntriesAlone,
  compilers,
  installConsumer,
  typeCheckConsumer,
  writeDocModules,
} from "./consumer.js";
import { importedPackages, workspaceRange } from "./deps.js";
import { kindOfFile, runScript, runStdioServer, runVitest } from "./examples-run.js";
import { inParallel, removeLater, run, step } from "./exec.js";
import { tarballProblems } from "./hygiene.js";
import { attw, publint } from "./lint.js";
import { packAll } from "./pack.js";
import { publishedPackages } from "./packages.js";
import { docBlocks } from "./readme-blocks.js";

const root = fileURLToPath(new URL("../../..", import.meta.url)).replace(/\/$/, "");
const keep = process.argv.includes("--keep");
const started = performance.now();
const temp = mkdtempSync(join(tmpdir(), "mcpforge-smoke-"));
const problems: string[] = [];
const notes: string[] = [];

try {
  const packages = publishedPackages(root);
  await step("pnpm build", () => run("pnpm", ["build"], { cwd: root }));
  const packed = await step(`pack ${packages.length} packages`, () =>
    packAll(root, packages, join(temp, "tarballs")),
  );
  const license = readFileSync(join(root, "LICENSE"), "utf8");
  for (const p of packed) problems.push(...tarballProblems(p.dir, license));

  const docs = docBlocks(root, new Set(packages.map((p) => relative(root, p.dir))));
  const consumer = join(temp, "consumer");
  const extra = consumerDependencies(packages, docs);

  await Promise.all([
    step("publint --strict, attw --profile esm-only", async () => {
      const found = await inParallel(packed, 2, async (p) => [
        ...(await publint(p.tarball, p.pkg.manifest.name)),
        ...(await attw(p.tarball, p.pkg.manifest.name)),
      ]);
      problems.push(...found.flat());
    }),
    step("npm install the tarballs outside the workspace", () =>
      installConsumer(
        consumer,
        packed.map((p) => ({ name: p.pkg.manifest.name, tarball: p.tarball })),
        extra,
      ),
    ),
  ]);

  const { generated, files } = writeDocModules(root, consumer, docs, packages);
  const blocks = docs.reduce((n, d) => n + d.files.length + d.snippets.length, 0);
  const excerpts = docs.reduce((n, d) => n + d.excerpts, 0);
  notes.push(
    `${docs.length} docs: ${blocks} TypeScript blocks checked (${files.length} example files, ${generated.length} snippets); ${excerpts} excerpts of package sources not checked`,
  );
  for (const compiler of compilers()) {
    await step(`type-check the docs' code with ${compiler.label}`, async () => {
      problems.push(...(await typeCheckConsumer(root, consumer, generated, compiler)));
    });
  }

  const ts7 = compilers().at(-1);
  if (ts7) {
    await step(`each package's entries alone with ${ts7.label}`, async () => {
      problems.push(...(await checkEntriesAlone(consumer, packages, ts7)));
    });
  }

  const unique = [...new Set(files)];
  const kinds = new Map(unique.map((file) => [file, kindOfFile(file)]));
  const byKind = (kind: string) => unique.filter((file) => kinds.get(file) === kind);
  await step("run the runnable examples", async () => {
    const runnable = [...byKind("script"), ...byKind("stdio-server")];
    const results = await inParallel(runnable, 2, async (file) => {
      try {
        return kinds.get(file) === "script"
          ? await runScript(consumer, file)
          : await runStdioServer(consumer, file);
      } catch (error) {
        problems.push(`example ${relative(consumer, file)}: ${(error as Error).message}`);
        return `FAILED ${relative(consumer, file)}`;
      }
    });
    notes.push(...results);
    try {
      notes.push(await runVitest(consumer, byKind("vitest")));
    } catch (error) {
      problems.push(`vitest examples: ${(error as Error).message}`);
    }
    const http = byKind("http-server").map((f) => relative(consumer, f));
    if (http.length > 0) notes.push(`HTTP servers, type-checked only: ${http.join(", ")}`);
  });
} catch (error) {
  problems.push(`smoke test aborted: ${(error as Error).stack ?? error}`);
}

for (const note of notes) console.log(`  ${note}`);
const seconds = ((performance.now() - started) / 1000).toFixed(0);
if (problems.length > 0) {
  for (const problem of problems) console.error(`✗ ${problem}`);
  console.error(`\nsmoke test: ${problems.length} problems (${seconds} s); files kept in ${temp}`);
  process.exitCode = 1;
} else {
  console.log(`smoke test: ok (${seconds} s)`);
  if (keep) console.log(`files kept in ${temp}`);
  else removeLater(temp);
}

/** What the consumer project installs besides the tarballs, at the ranges the workspace uses. */
function consumerDependencies(
  packages: ReturnType<typeof publishedPackages>,
  docs: ReturnType<typeof docBlocks>,
): Record<string, string> {
  const ours = new Set(packages.map((p) => p.manifest.name));
  const wanted = new Map<string, string>();
  for (const p of packages) {
    for (const [name, range] of Object.entries(p.manifest.peerDependencies ?? {})) {
      if (!ours.has(name)) wanted.set(name, range);
    }
  }
  const code = docs.flatMap((d) => [
    ...d.snippets.map((s) => s.code),
    ...d.files.map((f) => {
      try {
        return readFileSync(join(root, d.context, f), "utf8");
      } catch {
        return "";
      }
    }),
  ]);
  for (const name of code.flatMap(importedPackages))
    if (!wanted.has(name)) wanted.set(name, "latest");
  // What a TypeScript user installs beside the packages (docs/first-server.md).
  for (const name of ["tsx", "@types/node", "vitest"]) wanted.set(name, "latest");
  const out: Record<string, string> = {};
  for (const [name, fallback] of wanted) {
    if (ours.has(name) || name === "typescript") continue;
    out[name] = workspaceRange(root, packages, name, fallback);
  }
  // Untyped packages (pg): their @types/* at the workspace's range, as a TypeScript user adds them.
  for (const name of Object.keys(out)) {
    const types = `@types/${name.replace(/^@/, "").replace("/", "__")}`;
    const range = workspaceRange(root, packages, types, "");
    if (range !== "" && out[types] === undefined) out[types] = range;
  }
  // ioredis 6's .d.ts import the untyped `redis-errors`: without skipLibCheck its users need these.
  if (out.ioredis) out["@types/redis-errors"] = "^1.2.3";
  return out;
}
