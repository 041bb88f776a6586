import { createOptionChecks } from "@mcpforge/core/authoring";

/** Option checks whose errors start with `@mcpforge/health: <factory>(): …`. */
export const check = createOptionChecks("@mcpforge/health");

/** The options object of a factory (`{}` when undefined), or an error naming the factory. */
export function optionsOf<T extends object>(factory: string, options: T | undefined): T {
  return check.object(factory, options);
}

/** Checks the fields every check factory shares: `critical`, `timeoutMs`, `intervalMs`. */
export function checkCommon(
  factory: string,
  options: { critical?: unknown; timeoutMs?: unknown; intervalMs?: unknown },
): void {
  if (options.critical !== undefined && typeof options.critical !== "boolean") {
    throw check.error(factory, "critical must be a boolean");
  }
  check.duration(factory, "timeoutMs", options.timeoutMs);
  if (options.intervalMs !== undefined && options.intervalMs !== 0) {
    check.duration(factory, "intervalMs", options.intervalMs);
  }
}

/** The options every built-in check takes besides its own. */
export interface CommonCheckOptions {
  /** Whether a failure makes the server unready (default: `health()`'s `critical`, true). */
  critical?: boolean;
  /** How long one run may take, in ms (default: `health()`'s `timeoutMs`, 1000). */
  timeoutMs?: number;
  /** How long a result is reused, in ms (default: `health()`'s `intervalMs`, 5000). */
  intervalMs?: number;
}

/** The common fields of a check, without the undefined ones. */
export function common(options: CommonCheckOptions): CommonCheckOptions {
  const out: CommonCheckOptions = {};
  if (options.critical !== undefined) out.critical = options.critical;
  if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  if (options.intervalMs !== undefined) out.intervalMs = options.intervalMs;
  return out;
}
