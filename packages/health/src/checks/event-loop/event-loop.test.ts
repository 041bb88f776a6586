import { describe, expect, it } from "vitest";
import { eventLoopCheck } from "./event-loop.js";

const signal = new AbortController().signal;

function block(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // a handler doing synchronous work: the event loop stalls
  }
}

describe("eventLoopCheck()", () => {
  it("fails when the loop was blocked past maxDelayMs since the last run, passes again after", async () => {
    const check = eventLoopCheck({ maxDelayMs: 100, resolutionMs: 10 });
    check.start?.();
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(await check.check({ signal, timeoutMs: 1000 })).toMatchObject({ observedUnit: "ms" });
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 25));
        block(300);
      }
      await new Promise((r) => setTimeout(r, 50));
      const blocked = await check.check({ signal, timeoutMs: 1000 });
      expect(blocked).toMatchObject({ status: "fail" });
      expect(blocked?.observedValue).toBeGreaterThan(100);
      await new Promise((r) => setTimeout(r, 100));
      const calm = await check.check({ signal, timeoutMs: 1000 });
      expect(calm?.status).toBeUndefined(); // a pass
    } finally {
      check.close?.();
    }
  });

  it("checks its options", () => {
    expect(() => eventLoopCheck({ percentile: 120 })).toThrow(
      "@mcpforge/health: eventLoopCheck(): percentile must be a number in (0, 100]",
    );
  });
});
