import * as z from "zod";
import { DomainError } from "./domain-error.js";
import { parseInput } from "./parse-input.js";

/** Input of {@link calculateCompoundInterest}, with the bounds the calculator accepts. */
export const compoundInterestInput = z.object({
  principal: z
    .number()
    .gt(0, "must be greater than 0")
    .max(1e12, "must be at most 1,000,000,000,000")
    .describe("Starting amount of money, greater than 0 and at most 1e12"),
  annualRate: z
    .number()
    .min(0, "must be at least 0")
    .max(100, "must be at most 100")
    .describe("Annual interest rate in percent (5 means 5%), from 0 to 100"),
  years: z
    .number()
    .gt(0, "must be greater than 0")
    .max(100, "must be at most 100")
    .describe("Investment period in years (fractions allowed), greater than 0 and at most 100"),
  compoundsPerYear: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(365, "must be at most 365")
    .default(12)
    .describe("How many times per year interest is compounded (12 = monthly), 1 to 365"),
});

/** What the caller passes to {@link calculateCompoundInterest}. */
export type CompoundInterestInput = z.input<typeof compoundInterestInput>;

/** The outcome of {@link calculateCompoundInterest}; money amounts are rounded to cents. */
export interface CompoundInterestResult {
  finalAmount: number;
  totalInterest: number;
  principal: number;
  annualRate: number;
  years: number;
  compoundsPerYear: number;
}

function roundToCents(amount: number): number {
  const rounded = Math.round(amount * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}

/**
 * Computes compound interest, A = P(1 + r/n)^(n·t), with the rate given in percent.
 *
 * @example
 * calculateCompoundInterest({ principal: 1000, annualRate: 5, years: 10 });
 * // { finalAmount: 1647.01, totalInterest: 647.01, principal: 1000, annualRate: 5,
 * //   years: 10, compoundsPerYear: 12 }
 */
export function calculateCompoundInterest(input: CompoundInterestInput): CompoundInterestResult {
  const { principal, annualRate, years, compoundsPerYear } = parseInput(
    compoundInterestInput,
    input,
  );
  const rate = annualRate / 100;
  const exact = principal * (1 + rate / compoundsPerYear) ** (compoundsPerYear * years);
  if (!Number.isFinite(exact)) {
    throw new DomainError("The final amount is too large to represent");
  }
  const finalAmount = roundToCents(exact);
  return {
    finalAmount,
    // From the rounded amount, so that finalAmount = principal + totalInterest to the cent.
    totalInterest: roundToCents(finalAmount - principal),
    principal,
    annualRate,
    years,
    compoundsPerYear,
  };
}
