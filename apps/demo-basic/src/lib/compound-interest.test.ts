import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { calculateCompoundInterest, compoundInterestInput } from "./compound-interest.js";
import { DomainError } from "./domain-error.js";

describe("calculateCompoundInterest", () => {
  it("computes 1000 at 5% for 10 years, compounded monthly by default", () => {
    expect(calculateCompoundInterest({ principal: 1000, annualRate: 5, years: 10 })).toEqual({
      finalAmount: 1647.01,
      totalInterest: 647.01,
      principal: 1000,
      annualRate: 5,
      years: 10,
      compoundsPerYear: 12,
    });
  });

  it.each([
    // principal, annualRate, years, compoundsPerYear, finalAmount
    [1000, 5, 10, 1, 1628.89],
    [1000, 5, 10, 4, 1643.62],
    [1000, 5, 10, 365, 1648.66],
    [1500, 4.3, 6, 4, 1938.84],
    [100, 100, 1, 1, 200],
    [1000, 12, 0.5, 12, 1061.52],
  ])("computes %d at %d%% for %d years, %d times a year = %d", (p, r, y, n, expected) => {
    const result = calculateCompoundInterest({
      principal: p,
      annualRate: r,
      years: y,
      compoundsPerYear: n,
    });
    expect(result.finalAmount).toBe(expected);
    expect(result.totalInterest).toBeCloseTo(expected - p, 10);
    expect(result.compoundsPerYear).toBe(n);
  });

  it("returns the principal unchanged at a 0% rate", () => {
    const result = calculateCompoundInterest({ principal: 2500.75, annualRate: 0, years: 30 });
    expect(result.finalAmount).toBe(2500.75);
    expect(result.totalInterest).toBe(0);
  });

  it("handles the largest inputs without overflowing", () => {
    const result = calculateCompoundInterest({
      principal: 1e12,
      annualRate: 100,
      years: 100,
      compoundsPerYear: 365,
    });
    expect(Number.isFinite(result.finalAmount)).toBe(true);
    expect(result.finalAmount).toBeGreaterThan(1e50);
  });

  it.each([
    [{ principal: 0, annualRate: 5, years: 10 }, /principal: must be greater than 0/],
    [{ principal: -1, annualRate: 5, years: 10 }, /principal: must be greater than 0/],
    [{ principal: 1e12 + 1, annualRate: 5, years: 10 }, /principal: must be at most/],
    [{ principal: 1000, annualRate: -0.1, years: 10 }, /annualRate: must be at least 0/],
    [{ principal: 1000, annualRate: 100.5, years: 10 }, /annualRate: must be at most 100/],
    [{ principal: 1000, annualRate: 5, years: 0 }, /years: must be greater than 0/],
    [{ principal: 1000, annualRate: 5, years: 101 }, /years: must be at most 100/],
    [
      { principal: 1000, annualRate: 5, years: 1, compoundsPerYear: 0 },
      /compoundsPerYear: must be at least 1/,
    ],
    [
      { principal: 1000, annualRate: 5, years: 1, compoundsPerYear: 366 },
      /compoundsPerYear: must be at most 365/,
    ],
    [
      { principal: 1000, annualRate: 5, years: 1, compoundsPerYear: 2.5 },
      /compoundsPerYear: must be a whole number/,
    ],
    [{ principal: Number.NaN, annualRate: 5, years: 1 }, /principal/],
    [{ principal: Number.POSITIVE_INFINITY, annualRate: 5, years: 1 }, /principal/],
    [{ principal: "1000", annualRate: 5, years: 1 }, /principal/],
    [{ annualRate: 5, years: 1 }, /principal: is required/],
  ])("rejects %j", (input, message) => {
    const call = () => calculateCompoundInterest(input as never);
    expect(call).toThrow(DomainError);
    expect(call).toThrow(message);
  });

  it("accepts the bounds themselves", () => {
    const low = { principal: 0.01, annualRate: 0, years: 0.01, compoundsPerYear: 1 };
    const high = { principal: 1e12, annualRate: 100, years: 100, compoundsPerYear: 365 };
    expect(() => calculateCompoundInterest(low)).not.toThrow();
    expect(() => calculateCompoundInterest(high)).not.toThrow();
  });

  it("keeps totalInterest = finalAmount - principal for amounts near the limit of a double", () => {
    // found by the property below: ~3.5e13, where a double no longer holds every cent
    const i = {
      principal: 16304714.72,
      annualRate: 71.4658357858398,
      years: 20.275786805011812,
      compoundsPerYear: 27,
    };
    const result = calculateCompoundInterest(i);
    expect(result.finalAmount).toBeGreaterThan(1e13);
    expect(Math.abs(result.totalInterest - (result.finalAmount - i.principal))).toBeLessThanOrEqual(
      result.finalAmount * Number.EPSILON * 4,
    );
  });

  it("never returns less than the principal, and totalInterest = finalAmount - principal", () => {
    const input = fc.record({
      principal: fc.integer({ min: 1, max: 1e10 }).map((cents) => cents / 100),
      annualRate: fc.double({ min: 0, max: 100, noNaN: true }),
      years: fc.double({ min: 0.01, max: 100, noNaN: true }),
      compoundsPerYear: fc.integer({ min: 1, max: 365 }),
    });
    fc.assert(
      fc.property(input, (i) => {
        const result = calculateCompoundInterest(i);
        expect(result.finalAmount).toBeGreaterThanOrEqual(i.principal);
        // To the cent — or, for amounts beyond ~1e13 where a double no longer holds every cent,
        // to the precision the double has.
        const tolerance = Math.max(0.005, result.finalAmount * Number.EPSILON * 4);
        expect(
          Math.abs(result.totalInterest - (result.finalAmount - i.principal)),
        ).toBeLessThanOrEqual(tolerance);
        expect(Math.round(result.finalAmount * 100) / 100).toBe(result.finalAmount);
      }),
    );
  });
});

describe("compoundInterestInput", () => {
  it("defaults compoundsPerYear to 12", () => {
    expect(compoundInterestInput.parse({ principal: 1, annualRate: 1, years: 1 })).toEqual({
      principal: 1,
      annualRate: 1,
      years: 1,
      compoundsPerYear: 12,
    });
  });

  it("describes every field in its JSON Schema", () => {
    const json = z.toJSONSchema(compoundInterestInput, { io: "input" }) as {
      properties: Record<string, { description?: string; default?: unknown }>;
      required: string[];
    };
    for (const field of ["principal", "annualRate", "years", "compoundsPerYear"]) {
      expect(json.properties[field]?.description).toEqual(expect.any(String));
    }
    expect(json.properties.compoundsPerYear?.default).toBe(12);
    expect(json.required.sort()).toEqual(["annualRate", "principal", "years"]);
  });
});
