import { describe, expect, it } from "vitest";
import { LazyAbort } from "./lazy-abort.js";

describe("LazyAbort", () => {
  it("aborts a signal made before, with the reason", () => {
    const a = new LazyAbort();
    const signal = a.signal;
    expect(signal.aborted).toBe(false);
    a.abort("cancelled");
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe("cancelled");
    expect(a.aborted).toBe(true);
  });

  it("a signal made after the abort starts aborted with the same reason; abort is once", () => {
    const a = new LazyAbort();
    a.abort("first");
    a.abort("second");
    expect(a.signal.aborted).toBe(true);
    expect(a.signal.reason).toBe("first");
    const b = new LazyAbort();
    b.abort();
    expect(b.signal.reason).toBeInstanceOf(DOMException);
  });
});
