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
import { join } from "node:path";
import { BENCH_DIR } from "./build.js";
import { driver, probeRun, probeServer } from "./probe-servers.js";
import { Child } from "./proc.js";

function callgrindControl(pid: number, flag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn("callgrind_control", [flag, String(pid)], { stdio: "ignore" });
    p.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`callgrind_control ${code}`)),
    );
  });
}

async function measure(name: string, calls: number, warm: number, conns: number): Promise<number> {
  const server = probeServer(name);
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
    const drive = await driver(server, ready.url ?? "", conns);
    await drive(warm);
    await callgrindControl(proc.pid as number, "--instr=on");
    await drive(calls);
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

const { names, calls, warm, conns } = await probeRun(["stateless", "stateful", "floor"], 2000);
const results: [string, number][] = [];
for (const name of names) {
  const perCall = await measure(name, calls, warm, conns);
  results.push([name, perCall]);
  const first = results[0]?.[1] as number;
  console.log(
    `${name.padEnd(14)} ${(perCall / 1000).toFixed(1).padStart(8)} k instr/call  ${(first / perCall).toFixed(2)}×`,
  );
}
