/**
 * Preloaded into a server by `pnpm alloc` (`node --import alloc-probe.js <entry>`): samples
 * what the process allocates between `{ type: "alloc-start" }` and `{ type: "alloc-stop" }`,
 * garbage included (V8's sampling heap profiler with the objects that minor and major GCs
 * collected), and answers the stop with `{ type: "result", bytes, sites }`: the bytes sampled
 * and the allocation sites (function, file, line) by bytes, largest first.
 */
import { Session } from "node:inspector/promises";
import { report } from "./child.js";

/** One node of V8's sampling heap profile. */
interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}

/** Sampling interval in bytes: small enough that a few thousand calls give steady figures. */
const SAMPLING_INTERVAL = 64;

function siteOf(frame: SampleNode["callFrame"]): string {
  const file = frame.url.replace(/^file:\/\/.*\/(node_modules|build)\//, "");
  return `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
}

function bySite(head: SampleNode): { bytes: number; sites: [string, number][] } {
  const sites = new Map<string, number>();
  let bytes = 0;
  const stack = [head];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.selfSize > 0) {
      const site = siteOf(node.callFrame);
      sites.set(site, (sites.get(site) ?? 0) + node.selfSize);
      bytes += node.selfSize;
    }
    stack.push(...node.children);
  }
  return { bytes, sites: [...sites].sort((a, b) => b[1] - a[1]) };
}

const session = new Session();
session.connect();
process.on("message", async (m: { type?: string }) => {
  if (m.type === "alloc-start") {
    await session.post("HeapProfiler.enable");
    await session.post("HeapProfiler.startSampling", {
      samplingInterval: SAMPLING_INTERVAL,
      includeObjectsCollectedByMinorGC: true,
      includeObjectsCollectedByMajorGC: true,
    });
    report({ type: "result", started: true });
  } else if (m.type === "alloc-stop") {
    const { profile } = (await session.post("HeapProfiler.stopSampling")) as {
      profile: { head: SampleNode };
    };
    report({ type: "result", ...bySite(profile.head) });
  }
});
