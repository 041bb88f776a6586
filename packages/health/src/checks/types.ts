/** The status of a check or a whole report, as the IETF health-check response format spells it. */
export type HealthStatus = "pass" | "warn" | "fail";

/** What one run of a check found. Every field is optional: an empty outcome is a pass. */
export interface CheckOutcome {
  /** Default `pass`. A non-critical check's `fail` is reported as `warn`. */
  status?: HealthStatus;
  /** What was measured (a response time, a delay, a byte count). */
  observedValue?: number | string | boolean;
  /** The unit of `observedValue` (`ms`, `bytes`, `ratio`). */
  observedUnit?: string;
  /** Why it did not pass, in words safe to show (credentials are removed anyway). */
  output?: string;
}

/** What a check's `check()` receives. */
export interface CheckContext {
  /** Aborted when the check's timeout passes: stop waiting, close what was opened. */
  readonly signal: AbortSignal;
  /** The check's timeout in milliseconds (for clients that take their own deadline). */
  readonly timeoutMs: number;
}

/**
 * A named dependency or process check run by `health()`. The built-in factories
 * (`redisCheck()`, `postgresCheck()`, …) return one; so can you.
 *
 * @example
 * const queue: HealthCheck = {
 *   componentType: "component",
 *   async check({ signal }) {
 *     const depth = await queueDepth(signal);
 *     return { status: depth > 10_000 ? "fail" : "pass", observedValue: depth };
 *   },
 * };
 * async function queueDepth(_signal: AbortSignal) { return 3; }
 */
export interface HealthCheck {
  /** The IETF `componentType`: `datastore`, `system`, `component`, … (default `component`). */
  readonly componentType?: string;
  /** The IETF measurement name, the part after `:` in the report's key (default `status`). */
  readonly measurement?: string;
  /** Whether a failure makes the server unready (default: the `health()` option, `true`). */
  readonly critical?: boolean;
  /** How long one run may take before it fails (default: the `health()` option). */
  readonly timeoutMs?: number;
  /** How long a result is reused before the check runs again (default: the `health()` option). */
  readonly intervalMs?: number;
  /** Runs the check once. Throwing (or rejecting) is a failure. */
  check(context: CheckContext): CheckOutcome | undefined | Promise<CheckOutcome | undefined>;
  /** Called once when the server starts (e.g. to start measuring). */
  start?(): unknown;
  /** Called once when the server closes (e.g. to close a connection the check opened). */
  close?(): unknown;
}

/**
 * A check written as a plain function: resolving to `undefined` or `true` passes, `false`
 * fails, a {@link CheckOutcome} is taken as it is, and throwing fails with the error's message.
 */
export type CheckFunction = (
  context: CheckContext,
  // biome-ignore lint/suspicious/noConfusingVoidType: `async () => {}` (Promise<void>) is a passing check
) => boolean | undefined | CheckOutcome | Promise<boolean | undefined | CheckOutcome | void> | void;
