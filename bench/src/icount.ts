/**
 * Instructions per call under valgrind's callgrind: a reading that a busy or noisy machine does
 * not move (callgrind counts instructions, it does not time them), for comparing two builds or
 * two middleware stacks while working on the hot path. Not a benchmark: `pnpm bench` reports the
 * figures; this is a repeatable reading to steer by. It counts user-space instructions only (no
 * system calls, no cache misses), and the optimizing compilers' own work is left out (it depends
 * on when a compile job runs, not on the calls).
 *
 * `pnpm icount [--ref=REV] [--calls=N] [--warm=N] [--conns=N] <server>...` where a server is
 * `stateless`, `stateless64` (64 connections), `stateful`, `floor`, `stack`, `observed` (stack +
 * telemetry + health), `health`, `healthNone`, `telemetry` (no OTel SDK) or `telemetryNone`.
 * Each server runs in its own child under callgrind with instrumentation off; after `--warm`
 * calls (default 10,000) instrumentation goes on for `--calls` calls (default 2,000) over
 * `--conns` keep-alive connections (default 16), then off. It prints instructions per call for
 * each server and the first server's count over this one's. The same build and server give the
 * same count within about 1 %.
 *
 * @example
 * // pnpm icount stateless stateful floor
 * // stateless         158.3 k instr/call  1.00×
 * // stateful          116.2 k instr/call  1.36×
 * // floor             139.2 k instr/call  1.14×
 */
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { BENCH_DIR, buildArtifacts } from "./build.js";
import { openSessions } from "./load.js";
import { POST_HEADERS } from "./mcp-http.js";
import { Child } from "./proc.js";

const API_KEY = "bench-api-key-0123456789abcdef";

interface Server {
  entry: string;
  args: string[];
  stateful?: boolean;
  headers?: Record<string, string>;
  conns?: number;
}

const SERVERS: Record<string, Server> = {
  stateless: { entry: "forge-http", args: ["stateless"] },
  stateless64: { entry: "forge-http", args: ["stateless"], conns: 64 },
  stateful: { entry: "forge-http", args: ["stateful"], stateful: true },
  floor: { entry: "floor-http", args: [] },
  stack: {
    entry: "forge-http-stack",
    args: ["stateless", API_KEY],
    headers: { "x-api-key": API_KEY },
  },
  observed: {
    entry: "forge-http-stack",
    args: ["stateless", API_KEY, "observed"],
    headers: { "x-api-key": API_KEY },
  },
  health: { entry: "forge-http-health", args: ["stateless", "health"] },
  healthNone: { entry: "forge-http-health", args: ["stateless", "none"] },
  telemetry: { entry: "forge-http-telemetry", args: ["stateless", "api"] },
  telemetryNone: { entry: "forge-http-telemetry", args: ["stateless", "none"] },
};

function option(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
}

let nextId = 1;

/** `total` echo calls over `conns` keep-alive connections; every answer must be 200. */
async function drive(
  url: string,
  total: number,
  conns: number,
  headersFor: (i: number) => Record<string, string>,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: conns });
  let left = total;
  const loop = async (i: number) => {
    const headers = { ...POST_HEADERS, ...headersFor(i) };
    while (left > 0) {
      left--;
      const body = `{"jsonrpc":"2.0","id":${nextId++},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}`;
      await new Promise<void>((resolve, reject) => {
        const req = request(url, { method: "POST", agent, headers }, (res) => {
          res.resume();
          res.on("end", () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
          );
        });
        req.on("error", reject);
        req.end(body);
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: conns }, (_, i) => loop(i)));
  } finally {
    agent.destroy();
  }
}

function callgrindControl(pid: number, flag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn("callgrind_control", [flag, String(pid)], { stdio: "ignore" });
    p.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`callgrind_control ${code}`)),
    );
  });
}

async function measure(name: string, calls: number, warm: number, conns: number): Promise<number> {
  const server = SERVERS[name];
  if (!server) throw new Error(`unknown server "${name}" (${Object.keys(SERVERS).join(", ")})`);
  const out = join(BENCH_DIR, ".cache", `callgrind.${name}.out`);
  await rm(out, { force: true });
  const proc = spawn(
    "valgrind",
    [
      "--tool=callgrind",
      "--instr-atstart=no",
      "--smc-check=all-non-file",
      `--callgrind-out-file=${out}`,
      process.execPath,
      "--single-threaded-gc",
      "--no-concurrent-recompilation",
      join(BENCH_DIR, ".cache", "build", "entries", `${server.entry}.js`),
      ...server.args,
    ],
    { stdio: ["ignore", "pipe", "pipe", "ipc"] },
  );
  const child = new Child(name, proc);
  try {
    const ready = await child.next("ready", 300_000);
    const url = ready.url ?? "";
    const c = server.conns ?? conns;
    const sessions = server.stateful ? await openSessions(url, c, 4) : [];
    const headersFor = (i: number) => ({
      ...server.headers,
      ...(server.stateful ? { "mcp-session-id": sessions[i] as string } : {}),
    });
    await drive(url, warm, c, headersFor);
    await callgrindControl(proc.pid as number, "--instr=on");
    await drive(url, calls, c, headersFor);
    await callgrindControl(proc.pid as number, "--instr=off");
  } finally {
    await child.stop(600_000);
  }
  return (await steadyInstructions(out)) / calls;
}

/** V8's optimizing compilers, whose work depends on when a background job runs, not on calls. */
const COMPILER =
  /v8::internal::(compiler|maglev|turboshaft)::|v8::internal::(Pipeline|Maglev|Turbofan|OptimizingCompile)/;

/** The instructions a callgrind file counted, less the optimizing compilers' own. */
async function steadyInstructions(file: string): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    let buf = "";
    const p = spawn("callgrind_annotate", ["--inclusive=no", "--threshold=100", file]);
    p.stdout.on("data", (d: Buffer) => {
      buf += d.toString("utf8");
    });
    p.on("exit", (code) => (code === 0 ? resolve(buf) : reject(new Error(`annotate ${code}`))));
  });
  let total = 0;
  let compiler = 0;
  for (const line of text.split("\n")) {
    const m = /^\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.*)$/.exec(line);
    if (!m) continue;
    const n = Number((m[1] as string).replaceAll(",", ""));
    if ((m[2] as string).startsWith("PROGRAM TOTALS")) total = n;
    else if (COMPILER.test(m[2] as string)) compiler += n;
  }
  return total - compiler;
}

const names = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const refArg = process.argv.find((a) => a.startsWith("--ref="));
await buildArtifacts(refArg?.slice(6));
const calls = option("calls", 2000);
const warm = option("warm", 10000);
const conns = option("conns", 16);
const results: [string, number][] = [];
for (const name of names.length > 0 ? names : ["stateless", "stateful", "floor"]) {
  const perCall = await measure(name, calls, warm, conns);
  results.push([name, perCall]);
  const first = results[0]?.[1] as number;
  console.log(
    `${name.padEnd(14)} ${(perCall / 1000).toFixed(1).padStart(8)} k instr/call  ${(first / perCall).toFixed(2)}×`,
  );
}
