/** Option checks of the package's factories (core's checks, bound to `@mcpforge/plugins`). */
import { createOptionChecks } from "@mcpforge/core/authoring";

const check = createOptionChecks("@mcpforge/plugins");

export const {
  error: optionsError,
  object: checkOptionsObject,
  positiveInteger: checkPositiveInteger,
  duration: checkDuration,
  string: checkString,
  function: checkFunction,
  methods: checkMethods,
} = check;

/**
 * Checks an optional array of strings.
 *
 * @example
 * checkStringArray("definePlugin", "dependsOn", ["secrets"]);
 */
export function checkStringArray(factory: string, name: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v.length === 0)) {
    throw optionsError(factory, `${name} must be an array of non-empty strings`);
  }
}
