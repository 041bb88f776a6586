/** Option checks of the package's factories (core's checks, bound to `@mcpforge/cache`). */
import { createOptionChecks, MAX_TIMER_MS } from "@mcpforge/core/authoring";

const check = createOptionChecks("@mcpforge/cache");

/** The largest delay `setTimeout` honours (about 24.8 days); TTLs above it are refused. */
export const MAX_TTL_MS = MAX_TIMER_MS;

export const {
  error: optionsError,
  object: checkOptionsObject,
  positiveInteger: checkPositiveInteger,
  string: checkString,
  function: checkFunction,
} = check;

/**
 * Checks a logger option (when given): an object with the listed methods.
 *
 * @example
 * checkLogger("redisStore", console, ["warn", "info"]);
 */
export function checkLogger(factory: string, value: unknown, methods: readonly string[]): void {
  check.methods(factory, "logger", value, methods);
}

/**
 * Checks that a value looks like a {@link CacheStore} (get/set/delete/has/clear/close methods).
 *
 * @example
 * checkStore("cached", "store", memoryStore()); // passes
 * checkStore("cached", "store", new Map()); // throws: a Map has no close()
 */
export function checkStore(factory: string, name: string, value: unknown): void {
  const methods = ["get", "set", "delete", "has", "clear", "close"];
  const store = value as Record<string, unknown> | null | undefined;
  if (
    typeof store !== "object" ||
    store === null ||
    methods.some((m) => typeof store[m] !== "function")
  ) {
    throw optionsError(
      factory,
      `${name} must be a CacheStore (an object with ${methods.join("/")} methods), e.g. memoryStore()`,
    );
  }
}

/** The checks bound to the package (for shared checks such as `checkRedisTarget`). */
export const optionCheck = check;
