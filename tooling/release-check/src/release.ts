#!/usr/bin/env node
// The release test (see CONTRIBUTING.md, "Releases"): in a copy of the repository, adds a
// changeset (core: minor), runs `changeset version` and checks that every package stays 0.x
// with peer ranges that still accept the new core, builds, publishes with `changeset publish`
// to a local verdaccio registry it starts on an ephemeral port, then installs every package
// from that registry with plain npm in a fresh project and runs a server and a client there.
// Exit code 1 on any problem; `--keep` keeps the temporary folder.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { npmEnv } from "./consumer.js";
import { copyRepository } from "./copy-repo.js";
import { removeLater, run, step } from "./exec.js";
import { type Manifest, publishedPackages } from "./packages.js";
import { type LocalRegistry, startRegistry } from "./registry.js";
import { publishedProblems, versionProblems } from "./versions.js";

const root = fileURLToPath(new URL("../../..", import.meta.url)).replace(/\/$/, "");
const keep = process.argv.includes("--keep");
const started = performance.now();
const temp = mkdtempSync(join(tmpdir(), "mcpforge-release-"));
const repo = join(temp, "repo");
const problems: string[] = [];
const notes: string[] = [];
let registry: LocalRegistry | undefined;

const SERVER = `import { createServer } from "@mcpforge/core";
import { timing } from "@mcpforge/middleware/timing";
import * as z from "zod";

export const app = createServer({ name: "release-test", version: "1.0.0" });
app.use(timing());
app.tool(
  "add",
  { description: "Add two numbers", input: { a: z.number(), b: z.number() } },
  ({ a, b }) => ({ sum: a + b }),
);
export default app;
if (process.argv[1]?.endsWith("server.ts")) await app.run();
`;

const CLIENT = `import { Client, StdioClientTransport } from "@mcpforge/core/client";

const client = new Client({ name: "release-test-client", version: "1.0.0" });
await client.connect(
  new StdioClientTransport({ command: process.execPath, args: ["--import", "tsx", "server.ts"] }),
);
const result = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
console.log(JSON.stringify(result.structuredContent));
await client.close();
`;

const git = (...args: string[]) => run("git", args, { cwd: repo });

try {
  await step("copy the repository", async () => {
    notes.push(`copied ${await copyRepository(root, repo)} files`);
    await git("init", "-q", "-b", "main");
    await git("add", "-A");
    await git(
      "-c",
      "user.name=release-test",
      "-c",
      "user.email=release-test@localhost",
      "commit",
      "-qm",
      "snapshot",
    );
  });
  await step("pnpm install (offline, from the store)", () =>
    run("pnpm", ["install", "--frozen-lockfile", "--prefer-offline"], {
      cwd: repo,
      env: npmEnv({ CI: "true" }),
    }),
  );

  const before = new Map(publishedPackages(repo).map((p) => [p.manifest.name, p.manifest.version]));
  const coreMinor = '---\n"@mcpforge/core": minor\n---\n\nRelease test: a minor release of core.\n';
  // 1. Core's minor bump alone: no package that has core as a peer may be bumped at all.
  await step("changeset version (core minor alone)", async () => {
    await git("rm", "-q", "--", ".changeset/*.md", ":!.changeset/README.md");
    writeFileSync(join(repo, ".changeset", "release-test.md"), coreMinor);
    await run("pnpm", ["exec", "changeset", "version"], { cwd: repo, env: npmEnv() });
    const alone = publishedPackages(repo).map((p) => p.manifest);
    problems.push(...versionProblems(before, alone));
    for (const m of alone) {
      if (m.name !== "@mcpforge/core" && m.version !== before.get(m.name))
        problems.push(`a minor release of core alone bumped ${m.name} to ${m.version}`);
    }
    await git("reset", "-q", "--hard");
    await git("clean", "-qfd", "--", ".changeset");
  });
  // 2. The pending changesets plus core's minor: what the next real release would publish.
  writeFileSync(join(repo, ".changeset", "release-test.md"), coreMinor);
  await step("changeset version (pending changesets)", () =>
    run("pnpm", ["exec", "changeset", "version"], { cwd: repo, env: npmEnv() }),
  );
  const versioned = publishedPackages(repo);
  problems.push(
    ...versionProblems(
      before,
      versioned.map((p) => p.manifest),
    ),
  );
  for (const p of versioned)
    notes.push(`${p.manifest.name}: ${before.get(p.manifest.name)} → ${p.manifest.version}`);

  await step("pnpm build", () => run("pnpm", ["build"], { cwd: repo, env: npmEnv() }));

  const unscoped = versioned.map((p) => p.manifest.name).filter((name) => !name.startsWith("@"));
  registry = await step("start verdaccio", () => startRegistry(join(temp, "registry"), unscoped));
  const url = registry.url;
  const registryEnv = npmEnv({ npm_config_registry: url });
  const npmrc = `registry=${url}\n//${url.replace(/^http:\/\//, "")}:_authToken=release-test\n`;
  writeFileSync(join(repo, ".npmrc"), npmrc);
  await step("changeset publish to verdaccio", () =>
    run("pnpm", ["exec", "changeset", "publish"], { cwd: repo, env: registryEnv }),
  );

  const published = await step("read what the registry serves", () =>
    Promise.all(versioned.map((p) => registryManifest(url, p.manifest.name, p.manifest.version))),
  );
  problems.push(...publishedProblems(published));

  const app = join(temp, "app");
  await step("npm install every package from the registry", async () => {
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, ".npmrc"), npmrc);
    writeFileSync(
      join(app, "package.json"),
      '{ "name": "release-test-app", "private": true, "type": "module" }\n',
    );
    const specs = published.map((m) => `${m.name}@${m.version}`);
    await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--loglevel=error", ...specs, "zod@^4", "tsx@^4"],
      {
        cwd: app,
        env: registryEnv,
      },
    );
  });
  await step("run a server and a client", async () => {
    writeFileSync(join(app, "server.ts"), SERVER);
    writeFileSync(join(app, "client.ts"), CLIENT);
    const client = await run(process.execPath, ["--import", "tsx", "client.ts"], {
      cwd: app,
      env: npmEnv(),
      timeoutMs: 60_000,
    });
    if (!client.stdout.includes('"sum":5'))
      problems.push(`the client got ${client.stdout}${client.stderr}`);
    else notes.push(`client: ${client.stdout.trim()}`);
    const cli = await run(
      "npx",
      ["--no-install", "mcpforge", "call", "server.ts", "add", "a=1", "b=2"],
      {
        cwd: app,
        env: npmEnv(),
        timeoutMs: 60_000,
      },
    );
    if (!cli.stdout.includes('"sum": 3') && !cli.stdout.includes('"sum":3'))
      problems.push(`mcpforge call answered ${cli.stdout}${cli.stderr}`);
    else notes.push(`mcpforge call: ${cli.stdout.replace(/\s+/g, " ").trim()}`);
  });
} catch (error) {
  problems.push(`release test aborted: ${(error as Error).stack ?? error}`);
  if (registry) problems.push(`verdaccio log:\n${registry.log()}`);
} finally {
  await registry?.stop();
}

for (const note of notes) console.log(`  ${note}`);
const seconds = ((performance.now() - started) / 1000).toFixed(0);
if (problems.length > 0) {
  for (const problem of problems) console.error(`✗ ${problem}`);
  console.error(
    `\nrelease test: ${problems.length} problems (${seconds} s); files kept in ${temp}`,
  );
  process.exitCode = 1;
} else {
  console.log(`release test: ok (${seconds} s)`);
  if (keep) console.log(`files kept in ${temp}`);
  else removeLater(temp);
}

async function registryManifest(url: string, name: string, version: string): Promise<Manifest> {
  const response = await fetch(`${url}${name.replace("/", "%2f")}/${version}`);
  if (!response.ok) throw new Error(`the registry has no ${name}@${version} (${response.status})`);
  return (await response.json()) as Manifest;
}
