import { DomainError } from "./domain-error.js";

let supportedCurrencies: ReadonlySet<string> | undefined;

function isSupportedCurrency(code: string): boolean {
  supportedCurrencies ??= new Set(Intl.supportedValuesOf("currency"));
  return supportedCurrencies.has(code);
}

function canonicalLocale(locale: string): string {
  if (typeof locale !== "string" || locale.trim() === "") {
    throw new DomainError('The locale must be a non-empty BCP 47 language tag such as "en-US"');
  }
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    if (canonical === undefined) throw new RangeError("no locale");
    return canonical;
  } catch {
    throw new DomainError(
      `Invalid locale ${JSON.stringify(locale)}: expected a BCP 47 language tag such as "en-US"`,
    );
  }
}

/**
 * Formats an amount of money for a locale, e.g. `1.234,50 €`; the currency is an ISO 4217
 * code in any letter case, and the amount keeps the currency's usual number of decimals.
 *
 * @example
 * formatCurrency(1234.5, "usd"); // "$1,234.50"
 * formatCurrency(1234.5, "EUR", "de-DE"); // "1.234,50\u00a0€" (with a non-breaking space)
 */
export function formatCurrency(amount: number, currency: string, locale = "en-US"): string {
  if (typeof amount !== "number" || !Number.isFinite(amount)) {
    throw new DomainError(`The amount must be a finite number, got ${String(amount)}`);
  }
  if (typeof currency !== "string" || !/^[A-Za-z]{3}$/.test(currency.trim())) {
    throw new DomainError(
      `Invalid currency code ${JSON.stringify(currency)}: expected a 3-letter ISO 4217 code such as "USD"`,
    );
  }
  const code = currency.trim().toUpperCase();
  if (!isSupportedCurrency(code)) {
    throw new DomainError(`Unknown currency code "${code}": it is not an ISO 4217 currency`);
  }
  const tag = canonicalLocale(locale);
  // signDisplay "negative": amounts that round to zero (-0, -0.001) show no minus sign.
  return new Intl.NumberFormat(tag, {
    style: "currency",
    currency: code,
    signDisplay: "negative",
  }).format(amount);
}
