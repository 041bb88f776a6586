import { describe, expect, it } from "vitest";
import { heapCheck, rssCheck } from "./memory.js";

const context = { signal: new AbortController().signal, timeoutMs: 1000 };

describe("heapCheck() and rssCheck()", () => {
  it("pass under their limits and fail over them, with the observed bytes", async () => {
    expect(await heapCheck().check(context)).toMatchObject({ observedUnit: "bytes" });
    const over = await heapCheck({ maxUsedBytes: 1024 }).check(context);
    expect(over).toMatchObject({ status: "fail", observedUnit: "bytes" });
    expect(over?.observedValue).toBeGreaterThan(1024);
    expect((await rssCheck({ maxBytes: 64 * 1024 ** 3 }).check(context))?.status).toBeUndefined();
    expect((await rssCheck({ maxBytes: 1024 }).check(context))?.status).toBe("fail");
  });

  it("check their options", () => {
    expect(() => rssCheck({} as never)).toThrow(
      "@mcpforge/health: rssCheck(): maxBytes is required",
    );
    expect(() => heapCheck({ maxUsedRatio: 2 })).toThrow(/maxUsedRatio/);
  });
});
