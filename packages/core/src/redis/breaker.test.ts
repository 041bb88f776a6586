import { describe, expect, it } from "vitest";
import { CircuitBreaker, CircuitOpenError } from "./breaker.js";

function clockBreaker(threshold = 3, cooldownMs = 1000) {
  let now = 0;
  const transitions: string[] = [];
  const breaker = new CircuitBreaker({
    threshold,
    cooldownMs,
    now: () => now,
    onTransition: (s, p) => transitions.push(`${p}->${s}`),
  });
  const advance = (ms: number) => {
    now += ms;
  };
  return { breaker, transitions, advance };
}

const ok = () => Promise.resolve("ok");
const boom = () => Promise.reject(new Error("boom"));

describe("CircuitBreaker", () => {
  it("opens after `threshold` consecutive failures and then refuses at once", async () => {
    const { breaker, transitions } = clockBreaker(3);
    let calls = 0;
    const failing = () => {
      calls++;
      return boom();
    };
    for (let i = 0; i < 3; i++) await expect(breaker.run(failing)).rejects.toThrow("boom");
    expect(breaker.state).toBe("open");
    await expect(breaker.run(failing)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(calls).toBe(3);
    expect(breaker.stats()).toMatchObject({ state: "open", opens: 1, rejected: 1 });
    expect(transitions).toEqual(["closed->open"]);
  });

  it("a success resets the count of consecutive failures", async () => {
    const { breaker } = clockBreaker(2);
    await expect(breaker.run(boom)).rejects.toThrow();
    await breaker.run(ok);
    await expect(breaker.run(boom)).rejects.toThrow();
    expect(breaker.state).toBe("closed");
  });

  it("lets one probe through after the cool-down: success closes, failure re-opens", async () => {
    const { breaker, advance, transitions } = clockBreaker(1, 1000);
    await expect(breaker.run(boom)).rejects.toThrow("boom");
    advance(999);
    await expect(breaker.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    advance(1);
    expect(breaker.state).toBe("half-open");
    await expect(breaker.run(boom)).rejects.toThrow("boom"); // the probe failed
    expect(breaker.state).toBe("open");
    advance(1000);
    let release: () => void = () => {};
    const probe = breaker.run(
      () =>
        new Promise<string>((r) => {
          release = () => r("up");
        }),
    );
    // While the probe is out, everyone else still bypasses.
    await expect(breaker.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    expect(await probe).toBe("up");
    expect(breaker.state).toBe("closed");
    expect(breaker.stats()).toMatchObject({ opens: 1, closes: 1 });
    expect(transitions).toEqual([
      "closed->open",
      "open->half-open",
      "half-open->open",
      "open->half-open",
      "half-open->closed",
    ]);
  });

  it("halfOpen() lets the next call probe at once (the dependency reconnected)", async () => {
    const { breaker } = clockBreaker(1, 60_000);
    await expect(breaker.run(boom)).rejects.toThrow();
    breaker.halfOpen();
    expect(await breaker.run(ok)).toBe("ok");
    expect(breaker.state).toBe("closed");
  });
});
