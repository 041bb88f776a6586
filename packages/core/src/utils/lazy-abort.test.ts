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

describe("LazyAbort.onAbort", () => {
  /** Counts the AbortControllers made while `run` runs. */
  function controllersMade(run: () => void): number {
    const Original = globalThis.AbortController;
    let made = 0;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        made++;
      }
    };
    try {
      run();
    } finally {
      globalThis.AbortController = Original;
    }
    return made;
  }

  it("calls its listeners once with the reason, and makes no AbortController", () => {
    const seen: unknown[] = [];
    const made = controllersMade(() => {
      const a = new LazyAbort();
      a.onAbort((reason) => seen.push(["first", reason]));
      const stop = a.onAbort((reason) => seen.push(["stopped", reason]));
      a.onAbort((reason) => seen.push(["third", reason]));
      stop();
      a.abort("cancelled");
      a.abort("again");
    });
    expect(made).toBe(0);
    expect(seen).toEqual([
      ["first", "cancelled"],
      ["third", "cancelled"],
    ]);
  });

  it("after the abort: a new listener runs at once; the reason matches a signal made later", () => {
    const a = new LazyAbort();
    a.abort();
    let reason: unknown;
    a.onAbort((r) => {
      reason = r;
    })();
    expect(reason).toBeInstanceOf(DOMException);
    expect((reason as DOMException).name).toBe("AbortError");
    expect(a.signal.reason).toBe(reason);
  });

  it("fires together with a signal made before the abort", () => {
    const a = new LazyAbort();
    const signal = a.signal;
    const order: string[] = [];
    signal.addEventListener("abort", () => order.push("signal"));
    a.onAbort(() => order.push("listener"));
    a.abort("x");
    expect(order).toEqual(["signal", "listener"]);
  });
});
