/** Option checks shared by the factories: they throw a plain `Error` naming the package. */

const PACKAGE = "@mcpforge/middleware";

/** The largest delay `setTimeout` honours (about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * An options error: `@mcpforge/middleware: factory(): message`.
 *
 * @example
 * throw optionsError("timeout", "defaultMs must be a positive number");
 */
export function optionsError(factory: string, message: string): Error {
  return new Error(`${PACKAGE}: ${factory}(): ${message}`);
}

/**
 * Checks that `options` is undefined or a plain object and returns it (or `{}`).
 *
 * @example
 * const opts = checkOptionsObject("timing", options);
 */
export function checkOptionsObject<T extends object>(factory: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw optionsError(factory, "options must be an object");
  }
  return options;
}

/**
 * Checks a positive integer option (when given).
 *
 * @example
 * checkPositiveInteger("concurrency", "max", 10);
 */
export function checkPositiveInteger(factory: string, name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw optionsError(factory, `${name} must be a positive integer, got ${describe(value)}`);
  }
}

/**
 * Checks a non-negative finite number option (when given).
 *
 * @example
 * checkNonNegativeNumber("timing", "slowMs", 0);
 */
export function checkNonNegativeNumber(factory: string, name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw optionsError(factory, `${name} must be a finite number >= 0, got ${describe(value)}`);
  }
}

/**
 * Checks a duration in milliseconds: a positive number up to {@link MAX_TIMER_MS}, or `Infinity`.
 *
 * @example
 * checkDuration("timeout", "defaultMs", 5000);
 */
export function checkDuration(factory: string, name: string, value: unknown): void {
  if (value === undefined) return;
  const ok =
    typeof value === "number" &&
    (value === Number.POSITIVE_INFINITY || (Number.isFinite(value) && value > 0)) &&
    (value === Number.POSITIVE_INFINITY || value <= MAX_TIMER_MS);
  if (!ok) {
    throw optionsError(
      factory,
      `${name} must be a positive number of milliseconds (at most ${MAX_TIMER_MS}) or Infinity, got ${describe(value)}`,
    );
  }
}

/**
 * Checks a record option (when given) and each of its values.
 *
 * @example
 * checkRecord("timeout", "tools", { slow: 10 }, (key, v) => checkDuration("timeout", key, v));
 */
export function checkRecord(
  factory: string,
  name: string,
  value: unknown,
  each: (path: string, entry: unknown) => void,
): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionsError(factory, `${name} must be an object keyed by tool name`);
  }
  for (const key of Object.keys(value)) {
    each(`${name}[${JSON.stringify(key)}]`, (value as Record<string, unknown>)[key]);
  }
}

/**
 * Checks a function option (when given).
 *
 * @example
 * checkFunction("errorMasking", "onError", options.onError);
 */
export function checkFunction(factory: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw optionsError(factory, `${name} must be a function, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 50));
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "null";
  return typeof value;
}
