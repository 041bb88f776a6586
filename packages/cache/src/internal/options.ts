/** Option checks shared by the factories: they throw a plain `Error` naming the package. */

const PACKAGE = "@mcpforge/cache";

/** The largest delay `setTimeout` honours (about 24.8 days); TTLs above it are refused. */
export const MAX_TTL_MS = 2_147_483_647;

/**
 * An options error: `@mcpforge/cache: factory(): message`.
 *
 * @example
 * throw optionsError("memoryStore", "maxEntries must be a positive integer");
 */
export function optionsError(factory: string, message: string): Error {
  return new Error(`${PACKAGE}: ${factory}(): ${message}`);
}

/**
 * Checks that `options` is undefined or a plain object and returns it (or `{}`).
 *
 * @example
 * const opts = checkOptionsObject("memoryStore", options);
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
 * checkPositiveInteger("memoryStore", "maxEntries", 1000);
 */
export function checkPositiveInteger(
  factory: string,
  name: string,
  value: unknown,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw optionsError(
      factory,
      `${name} must be a positive integer${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ""}, got ${describe(value)}`,
    );
  }
}

/**
 * Checks a string option (when given), optionally non-empty.
 *
 * @example
 * checkString("redisStore", "prefix", "app:", { nonEmpty: true });
 */
export function checkString(
  factory: string,
  name: string,
  value: unknown,
  { nonEmpty = false }: { nonEmpty?: boolean } = {},
): void {
  if (value === undefined) return;
  if (typeof value !== "string" || (nonEmpty && value.length === 0)) {
    throw optionsError(factory, `${name} must be a ${nonEmpty ? "non-empty " : ""}string`);
  }
}

/**
 * Checks a function option (when given).
 *
 * @example
 * checkFunction("cached", "key", (id: string) => id);
 */
export function checkFunction(factory: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw optionsError(factory, `${name} must be a function`);
  }
}

/**
 * Checks a logger option (when given): an object with the listed methods.
 *
 * @example
 * checkLogger("redisStore", console, ["warn", "info"]);
 */
export function checkLogger(factory: string, value: unknown, methods: readonly string[]): void {
  if (value === undefined) return;
  if (
    typeof value !== "object" ||
    value === null ||
    methods.some((m) => typeof (value as Record<string, unknown>)[m] !== "function")
  ) {
    throw optionsError(factory, `logger must have ${methods.map((m) => `${m}()`).join(" and ")}`);
  }
}

/**
 * Checks that a value looks like a {@link CacheStore} (get/set/delete/has/clear/close methods).
 *
 * @example
 * checkStore("cached", options.store);
 */
export function checkStore(factory: string, name: string, value: unknown): void {
  const methods = ["get", "set", "delete", "has", "clear", "close"];
  if (
    typeof value !== "object" ||
    value === null ||
    methods.some((m) => typeof (value as Record<string, unknown>)[m] !== "function")
  ) {
    throw optionsError(
      factory,
      `${name} must be a CacheStore (an object with ${methods.join("/")} methods), e.g. memoryStore()`,
    );
  }
}

/**
 * A short description of a value for error messages.
 *
 * @example
 * describe(-1); // "-1"
 */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) {
    return String(value);
  }
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
