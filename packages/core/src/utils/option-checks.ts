/**
 * Option checks for factories (middleware, stores, plugins): each throws a plain `Error` that
 * names the package and the factory, as ARCHITECTURE §5 asks of every `@mcpforge/*` factory.
 */

/** The largest delay `setTimeout` honours (about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

/** The checks {@link createOptionChecks} returns, bound to one package name. */
export interface OptionChecks {
  /** An options error: `<package>: <factory>(): <message>`. */
  error(factory: string, message: string): Error;
  /** `options` when it is undefined (→ `{}`) or a plain object; throws otherwise. */
  object<T extends object>(factory: string, options: T | undefined): T;
  /** A positive integer (at most `max`), when given. */
  positiveInteger(factory: string, name: string, value: unknown, max?: number): void;
  /** A finite number ≥ 0, when given. */
  nonNegativeNumber(factory: string, name: string, value: unknown): void;
  /** A positive number of milliseconds up to {@link MAX_TIMER_MS}, or `Infinity`, when given. */
  duration(factory: string, name: string, value: unknown): void;
  /** A string (optionally non-empty), when given. */
  string(factory: string, name: string, value: unknown, options?: { nonEmpty?: boolean }): void;
  /** A function, when given. */
  function(factory: string, name: string, value: unknown): void;
  /** An object with the listed methods (a logger, a store, a client), when given. */
  methods(factory: string, name: string, value: unknown, methods: readonly string[]): void;
  /** An object keyed by name, each of whose values `each` checks, when given. */
  record(
    factory: string,
    name: string,
    value: unknown,
    each: (path: string, entry: unknown) => void,
  ): void;
}

/**
 * A short description of a value for error messages (strings quoted and cut at 50 characters).
 *
 * @example
 * describeValue(-1); // "-1"
 * describeValue([1]); // "an array"
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 50));
  if (typeof value === "number" || typeof value === "boolean" || value == null) {
    return String(value);
  }
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Option checks bound to a package name, for factories that validate their options when called.
 *
 * @example
 * import { createOptionChecks } from "@mcpforge/core/authoring";
 * const check = createOptionChecks("@acme/mcp-audit");
 * export function audit(options: { maxEntries?: number } = {}) {
 *   const opts = check.object("audit", options);
 *   check.positiveInteger("audit", "maxEntries", opts.maxEntries); // "@acme/mcp-audit: audit(): maxEntries must be …"
 *   return opts;
 * }
 */
export function createOptionChecks(packageName: string): OptionChecks {
  const error = (factory: string, message: string) =>
    new Error(`${packageName}: ${factory}(): ${message}`);
  return {
    error,
    object<T extends object>(factory: string, options: T | undefined): T {
      if (options === undefined) return {} as T;
      if (!isPlainRecord(options)) throw error(factory, "options must be an object");
      return options;
    },
    positiveInteger(factory, name, value, max = Number.MAX_SAFE_INTEGER) {
      if (value === undefined) return;
      if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
        const limit = max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : "";
        throw error(
          factory,
          `${name} must be a positive integer${limit}, got ${describeValue(value)}`,
        );
      }
    },
    nonNegativeNumber(factory, name, value) {
      if (value === undefined) return;
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw error(factory, `${name} must be a finite number >= 0, got ${describeValue(value)}`);
      }
    },
    duration(factory, name, value) {
      if (value === undefined || value === Number.POSITIVE_INFINITY) return;
      if (
        typeof value !== "number" ||
        !Number.isFinite(value) ||
        value <= 0 ||
        value > MAX_TIMER_MS
      ) {
        throw error(
          factory,
          `${name} must be a positive number of milliseconds (at most ${MAX_TIMER_MS}) or Infinity, got ${describeValue(value)}`,
        );
      }
    },
    string(factory, name, value, { nonEmpty = false } = {}) {
      if (value === undefined) return;
      if (typeof value !== "string" || (nonEmpty && value.length === 0)) {
        throw error(factory, `${name} must be a ${nonEmpty ? "non-empty " : ""}string`);
      }
    },
    function(factory, name, value) {
      if (value !== undefined && typeof value !== "function") {
        throw error(factory, `${name} must be a function, got ${describeValue(value)}`);
      }
    },
    methods(factory, name, value, methods) {
      if (value === undefined) return;
      if (!isPlainRecord(value) || methods.some((m) => typeof value[m] !== "function")) {
        throw error(factory, `${name} must have ${methods.map((m) => `${m}()`).join(" and ")}`);
      }
    },
    record(factory, name, value, each) {
      if (value === undefined) return;
      if (!isPlainRecord(value)) throw error(factory, `${name} must be an object keyed by name`);
      for (const key of Object.keys(value)) each(`${name}[${JSON.stringify(key)}]`, value[key]);
    },
  };
}
