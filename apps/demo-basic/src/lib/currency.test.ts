import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCurrency } from "./currency.js";
import { DomainError } from "./domain-error.js";

const NBSP = "\u00a0";

describe("formatCurrency", () => {
  it("formats euros the German way, with a non-breaking space before the sign", () => {
    expect(formatCurrency(1234.5, "EUR", "de-DE")).toBe(`1.234,50${NBSP}€`);
  });

  it("formats US dollars by default in en-US", () => {
    expect(formatCurrency(1234.5, "USD")).toBe("$1,234.50");
    expect(formatCurrency(0.5, "USD", "en-US")).toBe("$0.50");
    expect(formatCurrency(-5, "USD")).toBe("-$5.00");
    expect(formatCurrency(1_000_000, "USD")).toBe("$1,000,000.00");
  });

  it("shows no decimals for yen, rounding the amount", () => {
    expect(formatCurrency(1234.5, "JPY")).toBe("¥1,235");
    expect(formatCurrency(1234.4, "JPY", "ja-JP")).toBe("￥1,234");
    expect(formatCurrency(1234.5, "JPY", "de-DE")).not.toMatch(/,/);
  });

  it("accepts currency codes in any letter case and surrounding whitespace", () => {
    expect(formatCurrency(10, "usd")).toBe("$10.00");
    expect(formatCurrency(10, "eUr", "de-DE")).toBe(`10,00${NBSP}€`);
    expect(formatCurrency(10, " gbp ", "en-GB")).toBe("£10.00");
  });

  it("accepts locales in any letter case", () => {
    expect(formatCurrency(1234.5, "EUR", "DE-de")).toBe(`1.234,50${NBSP}€`);
  });

  it("never shows a minus sign on zero", () => {
    expect(formatCurrency(-0, "USD")).toBe("$0.00");
    expect(formatCurrency(-0.001, "USD")).toBe("$0.00");
  });

  it.each([
    ["XYZ", /Unknown currency code "XYZ"/],
    ["xyz", /Unknown currency code "XYZ"/],
    ["US", /Invalid currency code "US": expected a 3-letter ISO 4217 code/],
    ["USDX", /Invalid currency code/],
    ["U$D", /Invalid currency code/],
    ["", /Invalid currency code/],
  ])("rejects currency %j", (currency, message) => {
    expect(() => formatCurrency(1, currency)).toThrow(DomainError);
    expect(() => formatCurrency(1, currency)).toThrow(message);
  });

  it.each(["en_US", "not a locale!", "", "   ", "i-klingon"])("rejects locale %j", (locale) => {
    expect(() => formatCurrency(1, "USD", locale)).toThrow(DomainError);
    expect(() => formatCurrency(1, "USD", locale)).toThrow(/locale/);
  });

  it.each([
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ])("rejects the non-finite amount %d", (amount) => {
    expect(() => formatCurrency(amount, "USD")).toThrow(DomainError);
    expect(() => formatCurrency(amount, "USD")).toThrow(/finite number/);
  });

  it("formats every supported currency code, in any letter case, for finite amounts", () => {
    const code = fc.constantFrom(...Intl.supportedValuesOf("currency"));
    const amount = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
    fc.assert(
      fc.property(code, amount, (c, a) => {
        expect(formatCurrency(a, c.toLowerCase())).toBe(formatCurrency(a, c));
        expect(formatCurrency(a, c)).toMatch(/\d/);
      }),
    );
  });
});
