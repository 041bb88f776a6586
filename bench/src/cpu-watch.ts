/**
 * How busy the machine was with other work while a figure ran: CPU time of the whole machine
 * (/proc/stat) minus CPU time of this process tree (/proc/<pid>/stat of this process and its
 * live descendants, plus what finished children left in cutime/cstime). Linux only; elsewhere
 * every reading is undefined.
 */
import { readdirSync, readFileSync } from "node:fs";

interface Snapshot {
  at: number;
  machineBusy: number;
  ours: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineBusyTicks(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return total - idle;
}

function statOf(pid: string): { ppid: number; self: number; children: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // after the comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return {
      ppid: Number(f[1]),
      self: Number(f[11]) + Number(f[12]),
      children: Number(f[13]) + Number(f[14]),
    };
  } catch {
    return undefined;
  }
}

function ourTicks(): number {
  const stats = new Map<number, { ppid: number; self: number; children: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = statOf(name);
    if (s) stats.set(Number(name), s);
  }
  const mine = new Set<number>([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, s] of stats) {
      if (!mine.has(pid) && mine.has(s.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const pid of mine) {
    const s = stats.get(pid);
    if (!s) continue;
    ticks += s.self;
    if (pid === process.pid) ticks += s.children;
  }
  return ticks;
}

function snapshot(): Snapshot | undefined {
  try {
    return { at: performance.now(), machineBusy: machineBusyTicks(), ours: ourTicks() };
  } catch {
    return undefined;
  }
}

/** CPU use by other processes between two snapshots, in cores (1.0 = one core fully busy). */
function othersCores(a: Snapshot, b: Snapshot): number {
  const seconds = (b.at - a.at) / 1000;
  const others = b.machineBusy - a.machineBusy - (b.ours - a.ours);
  return Math.max(0, others / TICKS_PER_SECOND / seconds);
}

/**
 * Starts watching; the returned function gives the other processes' average CPU use (in
 * cores) since then, or undefined where /proc is not available.
 *
 * @example
 * const stop = watchOthers(); await work(); const busy = stop();
 */
export function watchOthers(): () => number | undefined {
  const start = snapshot();
  return () => {
    const end = snapshot();
    return start && end ? othersCores(start, end) : undefined;
  };
}

/**
 * Waits (up to `maxMs`) until other processes use less than `threshold` cores over a
 * one-second sample; returns the last sample.
 *
 * @example
 * const busy = await waitForQuiet(0.25, 30_000);
 */
export async function waitForQuiet(threshold: number, maxMs: number): Promise<number | undefined> {
  const end = performance.now() + maxMs;
  for (;;) {
    const stop = watchOthers();
    await new Promise((r) => setTimeout(r, 1000));
    const busy = stop();
    if (busy === undefined || busy < threshold || performance.now() >= end) return busy;
  }
}
