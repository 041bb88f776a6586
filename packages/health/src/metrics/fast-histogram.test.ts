import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { knownLayout, labelSetRecorder } from "./fast-histogram.js";
import { DURATION_BUCKETS } from "./names.js";

/** A registry with one histogram shaped like the operation histogram. */
function histogram() {
  const registry = new Registry();
  const h = new Histogram({
    name: "op_seconds",
    help: "Operation duration",
    labelNames: ["method", "tool", "error"],
    buckets: [...DURATION_BUCKETS],
    registers: [registry],
  });
  return { registry, h };
}

// Below, on and between the bounds, past the last one, zero.
const VALUES = [0, 0.001, 0.01, 0.010001, 0.05, 0.3, 1, 7, 120, 299.9, 300, 301, 5000];

describe("labelSetRecorder", () => {
  it("records directly with the installed prom-client (so these tests cover that path)", () => {
    expect(knownLayout).toBe(true);
  });

  it("exposes exactly what observe() on the label set's child would", async () => {
    const fast = histogram();
    const plain = histogram();
    const sets = [
      { method: "tools/call", tool: "echo" },
      { method: "tools/list" },
      { method: "tools/call", tool: "echo", error: "tool_error" },
    ];
    const recorders = sets.map((labels) => labelSetRecorder(fast.h, labels));
    for (let round = 0; round < 3; round++) {
      for (const [i, labels] of sets.entries()) {
        for (const v of VALUES) {
          recorders[i]?.(v * (round + 1));
          plain.h.labels(labels).observe(v * (round + 1));
        }
      }
    }
    const text = await fast.registry.metrics();
    expect(text).toBe(await plain.registry.metrics());
    expect(text).toContain('op_seconds_count{method="tools/call",tool="echo"} 39');
  });

  it("keeps counting right after the histogram is reset", async () => {
    const fast = histogram();
    const plain = histogram();
    const record = labelSetRecorder(fast.h, { method: "ping" });
    for (const v of VALUES) {
      record(v);
      plain.h.labels({ method: "ping" }).observe(v);
    }
    fast.registry.resetMetrics();
    plain.registry.resetMetrics();
    for (const v of VALUES.slice(0, 5)) {
      record(v);
      plain.h.labels({ method: "ping" }).observe(v);
    }
    const text = await fast.registry.metrics();
    expect(text).toBe(await plain.registry.metrics());
    expect(text).toContain('op_seconds_count{method="ping"} 5');
  });

  it("refuses a value that is not a finite number, as observe() does", () => {
    const { h } = histogram();
    const record = labelSetRecorder(h, { method: "ping" });
    record(0.1);
    expect(() => record(Number.NaN)).toThrow(TypeError);
    expect(() => record(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});
