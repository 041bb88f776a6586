import { describe, expect, it } from "vitest";
import { MAX_PRIME_INDEX, nthPrime } from "./primes.js";

describe("nthPrime", () => {
  it("finds the first primes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(nthPrime)).toEqual([
      2, 3, 5, 7, 11, 13, 17, 19, 23, 29,
    ]);
  });

  it("finds known larger primes", () => {
    expect(nthPrime(100)).toBe(541);
    expect(nthPrime(1000)).toBe(7919);
    expect(nthPrime(10_000)).toBe(104_729);
  });

  it("refuses indexes out of range", () => {
    for (const n of [0, -1, 1.5, MAX_PRIME_INDEX + 1, Number.NaN]) {
      expect(() => nthPrime(n)).toThrow(RangeError);
    }
  });
});
