/**
 * CPU profiles of one side under one workload, summarized by self time.
 *
 *   pnpm --filter @mcpforge/bench cpu-profile http forge stateful [connections] [seconds]
 *   pnpm --filter @mcpforge/bench cpu-profile sessions forge [seconds]
 *   pnpm --filter @mcpforge/bench cpu-profile cold forge
 *   pnpm --filter @mcpforge/bench cpu-profile inproc forge [seconds]
 *   pnpm --filter @mcpforge/bench cpu-profile proxy forge [seconds]
 *   pnpm --filter @mcpforge/bench cpu-profile stack forge [seconds] [observed]
 *
 * The server (or in-process run) runs with `node --cpu-prof` in its own process; the
 * `.cpuprofile` is kept in bench/.cache/profiles (open it in Chrome DevTools) and the top
 * self-time functions are printed with the package they belong to.
 */
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { BENCH_DIR, buildArtifacts } from "./build.js";
import { loadTest, openSessions, sessionLoad } from "./load.js";
import { PROTOCOL_VERSION, verifyServer } from "./mcp-http.js";
import { commandFor, placeProcesses, startChild } from "./proc.js";

const PROFILE_DIR = join(BENCH_DIR, ".cache", "profiles");

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Which package a profile URL belongs to. */
export function packageOf(url: string, fn: string): string {
  if (!url) {
    if (fn === "(garbage collector)") return "gc";
    if (fn === "(program)" || fn === "(idle)" || fn === "(root)") return fn;
    return "native";
  }
  if (url.startsWith("node:")) return "node";
  if (url.includes("/@mcpforge/core/")) return "core";
  if (url.includes("/@mcpforge/testing/")) return "testing";
  if (url.includes("/.cache/build/entries/")) return "bench entry";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url);
  if (m?.[1]) return m[1] === "@modelcontextprotocol/sdk" ? "sdk" : (m[1] as string);
  return "other";
}

function shortUrl(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)(.*)$/.exec(url);
  if (m) return `${m[1]}/${(m[2] as string).replace(/^dist\/esm\//, "")}`;
  return url.replace(/^file:\/\/.*\/bench\/\.cache\/build\//, "");
}

/**
 * Self time per function and per package, as markdown.
 *
 * @example
 * console.log(await summarize("/tmp/x.cpuprofile", 25));
 */
export async function summarize(file: string, top = 25): Promise<string> {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fns = new Map<string, { us: number; pkg: string; label: string }>();
  const pkgs = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const pkg = packageOf(url, functionName);
    if (pkg === "(idle)") continue;
    total += us;
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
    const label = url
      ? `${functionName || "(anonymous)"} — ${shortUrl(url)}:${lineNumber + 1}`
      : functionName;
    const key = `${pkg}|${label}`;
    const entry = fns.get(key) ?? { us: 0, pkg, label };
    entry.us += us;
    fns.set(key, entry);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  const L: string[] = [];
  L.push(`Busy time sampled: ${(total / 1000).toFixed(0)} ms (idle excluded)`, "");
  L.push("| package | self time |", "|---|---:|");
  for (const [pkg, us] of [...pkgs].sort((a, b) => b[1] - a[1])) L.push(`| ${pkg} | ${pct(us)} |`);
  L.push("", "| # | self | package | function — file:line |", "|---:|---:|---|---|");
  const sorted = [...fns.values()].sort((a, b) => b.us - a.us).slice(0, top);
  sorted.forEach((f, i) => {
    L.push(`| ${i + 1} | ${pct(f.us)} | ${f.pkg} | ${f.label.replace(/\|/g, "\\|")} |`);
  });
  return L.join("\n");
}

async function newestProfile(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".cpuprofile")).sort();
  const last = files[files.length - 1];
  if (!last) throw new Error(`no .cpuprofile in ${dir}`);
  return join(dir, last);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const [workload = "http", side = "forge", ...rest] = args;
  if (side !== "forge" && side !== "sdk") throw new Error("side must be forge or sdk");
  await buildArtifacts();
  const placement = placeProcesses(true);
  const dir = join(PROFILE_DIR, `${workload}-${side}-${rest.join("-") || "default"}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const execArgv = ["--cpu-prof", `--cpu-prof-dir=${dir}`];
  const entryHttp = side === "forge" ? "forge-http" : "sdk-http";

  if (workload === "http") {
    const mode = rest[0] === "stateful" ? "stateful" : "stateless";
    const connections = Number(rest[1] ?? 16);
    const seconds = Number(rest[2] ?? 5);
    const child = await startChild(placement, entryHttp, [mode, rest[3] ?? "0"], { execArgv });
    await verifyServer(child.url, mode === "stateful");
    const sessions =
      mode === "stateful" ? await openSessions(child.url, connections, 4) : undefined;
    const run = await loadTest({
      url: child.url,
      connections,
      seconds,
      ...(sessions ? { sessions } : {}),
    });
    console.log(
      `${side} ${mode} c=${connections}: ${Math.round(run.rps)} req/s under the profiler\n`,
    );
    await child.stop(30_000);
  } else if (workload === "stack") {
    // The production middleware stack (figure 6), stateless, 16 connections; `observed` puts
    // telemetry() and health() in front of it.
    const seconds = Number(rest[0] ?? 5);
    const key = "bench-api-key-0123456789abcdef";
    const headers = { "x-api-key": key };
    const child = await startChild(
      placement,
      "forge-http-stack",
      ["stateless", key, rest[1] ?? ""],
      {
        execArgv,
      },
    );
    await verifyServer(child.url, false, headers);
    const run = await loadTest({ url: child.url, connections: 16, seconds, headers });
    console.log(`stack c=16: ${Math.round(run.rps)} req/s under the profiler\n`);
    await child.stop(30_000);
  } else if (workload === "proxy") {
    // The proxy process under the profiler, in front of an unprofiled forge backend.
    const seconds = Number(rest[0] ?? 5);
    const backend = await startChild(placement, "forge-http", ["stateless", "0"]);
    const child = await startChild(placement, "forge-proxy", [backend.url, "stateless"], {
      execArgv,
    });
    await verifyServer(child.url, false);
    const run = await loadTest({ url: child.url, connections: 16, seconds });
    console.log(`proxy c=16: ${Math.round(run.rps)} req/s under the profiler\n`);
    await child.stop(30_000);
    await backend.stop(30_000);
  } else if (workload === "sessions") {
    const seconds = Number(rest[0] ?? 5);
    const child = await startChild(placement, entryHttp, ["stateful"], { execArgv });
    const run = await sessionLoad(child.url, 16, seconds);
    console.log(`${side}: ${Math.round(run.sessionsPerSec)} sessions/s under the profiler\n`);
    await child.stop(30_000);
  } else if (workload === "inproc") {
    const seconds = rest[0] ?? "5";
    const child = await startChild(placement, `${side}-inproc`, [seconds, "client"], {
      execArgv,
      waitReady: false,
    });
    const result = await child.next("result");
    console.log(
      `${side}: ${Math.round(result.callsPerSec as number)} calls/s under the profiler\n`,
    );
    await child.exited();
  } else if (workload === "cold") {
    const { cmd, argv } = commandFor(
      placement,
      `${side}-stdio`,
      [],
      [...execArgv, "--cpu-prof-interval=100"],
    );
    const proc = spawn(cmd, argv, { stdio: ["pipe", "pipe", "inherit"] });
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    let buffer = "";
    await new Promise<void>((resolve) => {
      proc.stdout.on("data", (c: Buffer) => {
        buffer += c.toString();
        if (buffer.includes('"id":1') && !buffer.includes('"id":2')) {
          proc.stdin.write(
            `${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: { text: "hi" } } })}\n`,
          );
        }
        if (buffer.includes('"id":2')) resolve();
      });
      proc.stdin.write(
        `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "p", version: "0" } } })}\n`,
      );
    });
    proc.stdin.end();
    const timer = setTimeout(() => proc.kill("SIGTERM"), 3000);
    await exited;
    clearTimeout(timer);
  } else {
    throw new Error(`unknown workload ${workload} (http, stack, proxy, sessions, inproc, cold)`);
  }
  const file = await newestProfile(dir);
  console.log(`profile: ${file}\n`);
  console.log(await summarize(file, Number(process.env.TOP ?? 25)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
