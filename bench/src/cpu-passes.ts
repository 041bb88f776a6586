/**
 * CPU time per call under a fixed load, servers in turn: each server gets 1 s slices at the
 * same request rate, pass after pass, the order rotating; its CPU time and calls are read
 * over IPC before and after each slice. Each pass compares the servers a second apart, so a
 * busy spell of a shared machine touches all of them alike — the ratio a quiet machine's
 * throughput would show.
 */
import { loadTest } from "./load.js";
import type { Child } from "./proc.js";
import { median } from "./stats.js";

/** Passes of 1 s fixed-rate slices, each server in turn. */
export const CPU_PASSES = 15;

/** Rotates the list so every side goes first in turn. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** A server's counters over IPC: `echo` calls served, CPU time (µs), and its extra count. */
export async function serverStats(
  child: Child,
): Promise<{ calls: number; cpu: number; spans: number }> {
  const reply = child.next("result");
  child.proc.send({ type: "stats" });
  const m = await reply;
  return { calls: Number(m.calls), cpu: Number(m.cpuMicros), spans: Number(m.spans) };
}

/** One server under the fixed load. */
export interface CpuCell {
  child: Child;
  connections: number;
  /** For the log line. */
  label: string;
  headers?: Readonly<Record<string, string>>;
  /** Stateful: one session id per connection. */
  sessions?: readonly string[];
}

/**
 * Each cell's CPU µs per call, pass by pass (after one warm-up slice each at that rate); logs
 * each cell's median.
 */
export async function cpuPerCallPasses<K extends string>(
  cells: Record<K, CpuCell>,
  rate: number,
  log: (line: string) => void,
): Promise<Record<K, number[]>> {
  const names = Object.keys(cells) as K[];
  const slice = async (name: K) => {
    const { child, connections, headers, sessions } = cells[name];
    const before = await serverStats(child);
    await loadTest({
      url: child.url,
      connections,
      seconds: 1,
      rate,
      ...(headers ? { headers } : {}),
      ...(sessions ? { sessions } : {}),
    });
    const after = await serverStats(child);
    return (after.cpu - before.cpu) / (after.calls - before.calls);
  };
  for (const name of names) await slice(name); // warm-up at that rate
  const out = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let pass = 0; pass < CPU_PASSES; pass++) {
    for (const name of rotate(names, pass)) out[name].push(await slice(name));
  }
  for (const name of names) {
    log(
      `  ${`${cells[name].label} at ${rate}/s`.padEnd(48)} ${median(out[name]).toFixed(1)} µs CPU per call (median of ${CPU_PASSES})`,
    );
  }
  return out;
}

/** Cells for `names`, each its own child under 16 connections. */
export function cellsOf<K extends string>(
  names: readonly K[],
  child: (name: K) => Child,
  label: (name: K) => string,
): Record<K, CpuCell> {
  return Object.fromEntries(
    names.map((n) => [n, { child: child(n), connections: 16, label: label(n) }]),
  ) as Record<K, CpuCell>;
}
