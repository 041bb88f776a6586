/**
 * Cold start (figure 4): spawn → answer of the first `tools/call`, over stdio and over
 * Streamable HTTP (stateless), the way a user runs an installed package: plain `node`, MCP
 * Forge's built `dist/` (`tsc -b`, the files `npm publish` ships) resolved through its
 * `package.json` exports, its dependencies where the package manager installed them. No
 * bundling, no loader hooks.
 *
 * Layout: `.cache/installed/node_modules/@mcpforge/core` links to `packages/core` (so Node reads
 * its real `package.json` and `dist/`, and its own dependencies resolve from its own
 * `node_modules`, as after an install), `zod` and the SDK link to the copies the bench uses, and
 * `.cache/installed/entries/*.js` are the entries compiled from `src/entries`. With `--ref`, the
 * revision's `packages/core` is built the same way in `.cache/ref-core`.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { dirname, join } from "node:path";
import ts from "typescript";
import { BENCH_DIR, COMPILER_OPTIONS } from "./build.js";
import { PROTOCOL_VERSION } from "./mcp-http.js";
import type { Placement } from "./proc.js";

const INSTALLED_DIR = join(BENCH_DIR, ".cache", "installed");
const REPO_DIR = join(BENCH_DIR, "..");

/** The entries figure 4 runs: each side over stdio and over HTTP. */
export const COLD_ENTRIES = {
  stdio: { forge: "forge-stdio", sdk: "sdk-stdio", floor: "floor-stdio" },
  http: { forge: "cold-forge-http", sdk: "cold-sdk-http", floor: "cold-floor-http" },
} as const;

/** Where figure 4's compiled entries live, and how MCP Forge got there (for the report). */
export interface ColdSetup {
  entryDir: string;
  how: string;
}

async function link(target: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await symlink(target, path, "dir");
}

/**
 * The checkout whose `packages/core` is built: the repository itself, or (with `ref`) that
 * revision's `packages/core` extracted with `git archive` into `.cache/ref-core`, sharing the
 * repository's installed dependencies.
 */
function coreCheckout(ref: string | undefined): string {
  if (ref === undefined) return REPO_DIR;
  const dir = join(BENCH_DIR, ".cache", "ref-core");
  execFileSync("rm", ["-rf", dir]);
  execFileSync("mkdir", ["-p", dir]);
  execFileSync("sh", ["-c", 'git archive "$0" packages/core | tar -x -C "$1"', ref, dir], {
    cwd: REPO_DIR,
  });
  const modules = join(REPO_DIR, "packages", "core", "node_modules");
  execFileSync("ln", ["-s", modules, join(dir, "packages", "core", "node_modules")]);
  return dir;
}

/**
 * Builds `@mcpforge/core` (from the work tree, or from `ref`) with `tsc -b` as `pnpm build`
 * does, and lays out `.cache/installed`.
 *
 * @example
 * const setup = await prepareColdStart(undefined);
 */
export async function prepareColdStart(ref: string | undefined): Promise<ColdSetup> {
  const checkout = coreCheckout(ref);
  const tsc = join(REPO_DIR, "node_modules", "typescript", "bin", "tsc");
  const project = join(checkout, "packages", "core", "tsconfig.build.json");
  execFileSync(process.execPath, [tsc, "-b", project], { cwd: checkout, stdio: "ignore" });
  await rm(INSTALLED_DIR, { recursive: true, force: true });
  const modules = join(INSTALLED_DIR, "node_modules");
  await link(join(checkout, "packages", "core"), join(modules, "@mcpforge", "core"));
  for (const name of ["zod", "@modelcontextprotocol/sdk"]) {
    await link(await realpath(join(BENCH_DIR, "node_modules", name)), join(modules, name));
  }
  await writeFile(join(INSTALLED_DIR, "package.json"), '{ "private": true, "type": "module" }\n');
  const entryDir = join(INSTALLED_DIR, "entries");
  await mkdir(entryDir, { recursive: true });
  const compiled = [
    ...Object.values(COLD_ENTRIES.stdio),
    ...Object.values(COLD_ENTRIES.http),
    "tools",
    "floor-answer",
  ];
  for (const side of compiled) {
    const file = join(BENCH_DIR, "src", "entries", `${side}.ts`);
    const { outputText } = ts.transpileModule(await readFile(file, "utf8"), {
      compilerOptions: COMPILER_OPTIONS,
      fileName: file,
    });
    await writeFile(join(entryDir, `${side}.js`), outputText);
  }
  return {
    entryDir,
    how: `MCP Forge's \`dist/\` (${ref ?? "the work tree"}) built by \`tsc -b\` and resolved through its \`package.json\` exports`,
  };
}

function spawnEntry(placement: Placement, setup: ColdSetup, entry: string): ChildProcess {
  const node = [process.execPath, join(setup.entryDir, `${entry}.js`)];
  const [cmd, ...argv] = placement.pinned
    ? ["taskset", "-c", String(placement.serverCpu), ...node]
    : node;
  return spawn(cmd as string, argv, { stdio: ["pipe", "pipe", "pipe"] });
}

/** One cold start: wall-clock ms from spawn to the answer, and the CPU ms the child used. */
export interface ColdRun {
  wall: number;
  cpu: number;
}

/** CPU time a process has used so far, all its threads (`/proc/<pid>/task/*\/schedstat`), ms. */
function cpuMs(pid: number | undefined): number {
  let ns = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    return Number.NaN; // no /proc
  }
  return ns / 1e6;
}

/** Runs `exchange` against a fresh child: the time from spawn to its end, and the child's CPU. */
async function timed(
  placement: Placement,
  setup: ColdSetup,
  entry: string,
  exchange: (proc: ChildProcess, lines: AsyncIterator<string>) => Promise<void>,
): Promise<ColdRun> {
  const t0 = performance.now();
  const proc = spawnEntry(placement, setup, entry);
  let stderr = "";
  proc.stderr?.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    proc.once("exit", (code) => reject(new Error(`${entry} exited (${code})\n${stderr}`)));
    setTimeout(() => reject(new Error(`${entry}: no answer in 30 s\n${stderr}`)), 30_000).unref();
  });
  try {
    await Promise.race([exchange(proc, lines(proc)), failed]);
    const wall = performance.now() - t0;
    return { wall, cpu: cpuMs(proc.pid) };
  } finally {
    proc.kill("SIGKILL");
    await exited;
  }
}

async function* lines(proc: ChildProcess): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
    buffer += chunk.toString("utf8");
    let nl = buffer.indexOf("\n");
    while (nl !== -1) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf("\n");
      if (line) yield line;
    }
  }
}

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: "bench-client", version: "0.0.0" },
  },
};
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };
const CALL = {
  jsonrpc: "2.0",
  id: 2,
  method: "tools/call",
  params: { name: "echo", arguments: { text: "hello" } },
};

function checkAnswer(entry: string, text: string): void {
  // a JSON answer, or one SSE `data:` line (the SDK's default response mode)
  const json = text.startsWith("{") ? text : text.split("\n").find((l) => l.startsWith("data:"));
  const msg = JSON.parse(json?.replace(/^data:\s*/, "") ?? "null") as {
    id?: number;
    result?: { content?: { text?: string }[] };
  } | null;
  if (msg?.id !== 2 || msg.result?.content?.[0]?.text !== "hello") {
    throw new Error(`${entry}: unexpected answer ${text.slice(0, 300)}`);
  }
}

/**
 * Over stdio: `initialize`, `notifications/initialized`, then `tools/call`; ms to its answer.
 *
 * @example
 * const { wall, cpu } = await coldStdio(placement, setup, "forge-stdio");
 */
export function coldStdio(placement: Placement, setup: ColdSetup, entry: string): Promise<ColdRun> {
  return timed(placement, setup, entry, async (proc, out) => {
    const send = (m: unknown) => proc.stdin?.write(`${JSON.stringify(m)}\n`);
    send(INITIALIZE);
    for (let r = await out.next(); !r.done; r = await out.next()) {
      const id = (JSON.parse(r.value) as { id?: number }).id;
      if (id === 1) {
        send(INITIALIZED);
        send(CALL);
      } else if (id === 2) return checkAnswer(entry, r.value);
    }
    throw new Error(`${entry}: stdout ended`);
  });
}

function post(agent: Agent, url: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": PROTOCOL_VERSION,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * Over Streamable HTTP, stateless: wait for the URL on stdout, then POST `initialize`,
 * `notifications/initialized` and `tools/call` on one keep-alive connection; ms to the answer.
 *
 * @example
 * const { wall, cpu } = await coldHttp(placement, setup, "cold-forge-http");
 */
export function coldHttp(placement: Placement, setup: ColdSetup, entry: string): Promise<ColdRun> {
  return timed(placement, setup, entry, async (_proc, out) => {
    const first = await out.next();
    if (first.done) throw new Error(`${entry}: no URL on stdout`);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const [message, status] of [
        [INITIALIZE, 200],
        [INITIALIZED, 202],
      ] as const) {
        const r = await post(agent, first.value, message);
        if (r.status !== status) throw new Error(`${entry}: ${message.method} → ${r.status}`);
      }
      checkAnswer(entry, (await post(agent, first.value, CALL)).text);
    } finally {
      agent.destroy();
    }
  });
}
