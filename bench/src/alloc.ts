/**
 * Bytes allocated per call, garbage included: a reading that, like `pnpm icount`, a busy
 * machine does not move, for work that instruction counts do not show (every object a call
 * makes is memory written that later costs a scavenge). Not a benchmark: `pnpm bench` reports
 * the figures; this is a reading to steer by.
 *
 * `pnpm alloc [--ref=REV] [--calls=N] [--warm=N] [--conns=N] [--top=N] <server>...` (servers as
 * for `pnpm icount`). Each server runs in its own child with `src/entries/alloc-probe.ts`
 * preloaded; after `--warm` calls (default 10,000) V8's sampling heap profiler (one sample per
 * 64 bytes, objects the GCs collected kept) runs for `--calls` calls (default 5,000) over
 * `--conns` connections (default 16). It prints the bytes per call of each server, the
 * difference to the first server, and with `--top=N` each server's N largest allocation sites
 * (function, file, line) per call. Sampling makes the readings move by about 2 %.
 *
 * @example
 * // pnpm alloc --top=5 stateless stack
 * // stateless        14.1 KB/call
 * // stack            20.3 KB/call  +6.2 KB
 */
import { entryPath } from "./build.js";
import { driver, option, probeRun, probeServer } from "./probe-servers.js";
import { placeProcesses, startChild } from "./proc.js";

interface Reading {
  bytes: number;
  sites: [string, number][];
}

async function measure(name: string, calls: number, warm: number, conns: number) {
  const server = probeServer(name);
  const child = await startChild(placeProcesses(false), server.entry, server.args, {
    execArgv: ["--import", entryPath("alloc-probe")],
    label: name,
  });
  try {
    const drive = await driver(server, child.url, conns);
    await drive(warm);
    const started = child.next("result");
    child.proc.send({ type: "alloc-start" });
    await started;
    await drive(calls);
    const stopped = child.next("result");
    child.proc.send({ type: "alloc-stop" });
    return (await stopped) as unknown as Reading;
  } finally {
    await child.stop();
  }
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const { names, calls, warm, conns } = await probeRun(["stateless", "stack"], 5000);
const top = option("top", 0);
let first: number | undefined;
for (const name of names) {
  const reading = await measure(name, calls, warm, conns);
  const perCall = reading.bytes / calls;
  const diff = perCall - (first ?? perCall);
  const delta = first === undefined ? "" : `  ${diff >= 0 ? "+" : "−"}${kb(Math.abs(diff))} KB`;
  first ??= perCall;
  console.log(`${name.padEnd(14)} ${kb(perCall).padStart(8)} KB/call${delta}`);
  for (const [site, bytes] of reading.sites.slice(0, top)) {
    console.log(`  ${(bytes / calls).toFixed(0).padStart(7)} B  ${site}`);
  }
}
