import { performance } from "node:perf_hooks";
import type { CheckContext, CheckOutcome, HealthCheck, HealthStatus } from "../checks/types.js";
import { errorText, sanitize } from "./sanitize.js";

/** The last result of one check, as reports show it. */
export interface CheckResult {
  readonly name: string;
  readonly componentType: string;
  readonly measurement: string;
  /** After the critical rule: a non-critical failure is `warn`. */
  readonly status: HealthStatus;
  readonly critical: boolean;
  readonly observedValue: number | string | boolean | undefined;
  readonly observedUnit: string | undefined;
  /** Why it did not pass (sanitized), if it did not. */
  readonly output: string | undefined;
  /** When the run started (ISO 8601). */
  readonly time: string;
  /** How long the run took, in milliseconds. */
  readonly durationMs: number;
  /** `Date.now()` when the run finished (for the interval cache). */
  readonly at: number;
}

/** Defaults a runner applies to a check that sets none. */
export interface RunnerDefaults {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly critical: boolean;
}

const TIMED_OUT = Symbol("timed out");

function normalize(value: unknown): CheckOutcome {
  if (value === undefined || value === true) return {};
  if (value === false) return { status: "fail" };
  if (typeof value === "object" && value !== null) return value as CheckOutcome;
  return { status: "fail", output: "the check returned neither a boolean nor an outcome" };
}

/**
 * Runs one check with its timeout, caches the result for its interval, and runs at most one
 * attempt at a time — a thousand probes a second cost one run per interval. An attempt that
 * outlives its timeout fails the run; while it still hangs, later runs fail at once instead of
 * piling up more attempts on a dependency that does not answer.
 *
 * @example
 * const runner = new CheckRunner("db", { check: () => ({ observedValue: 1 }) }, {
 *   timeoutMs: 1000, intervalMs: 5000, critical: true,
 * });
 * const result = await runner.result(); // runs, or reuses a result younger than 5 s
 */
export class CheckRunner {
  readonly name: string;
  readonly check: HealthCheck;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly critical: boolean;
  #last: CheckResult | undefined;
  #running: Promise<CheckResult> | undefined;
  #hung: Promise<unknown> | undefined;

  constructor(name: string, check: HealthCheck, defaults: RunnerDefaults) {
    this.name = name;
    this.check = check;
    this.timeoutMs = check.timeoutMs ?? defaults.timeoutMs;
    this.intervalMs = check.intervalMs ?? defaults.intervalMs;
    this.critical = check.critical ?? defaults.critical;
  }

  /** The last result, if any (no run). */
  get last(): CheckResult | undefined {
    return this.#last;
  }

  /** A result at most `intervalMs` old: the cached one, the run in progress, or a new run. */
  result(now = Date.now()): Promise<CheckResult> {
    const last = this.#last;
    if (last && now - last.at < this.intervalMs) return Promise.resolve(last);
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<CheckResult> {
    const time = new Date().toISOString();
    const started = performance.now();
    let outcome: CheckOutcome;
    if (this.#hung) {
      outcome = {
        status: "fail",
        output: `the previous attempt has not finished (timed out after ${this.timeoutMs} ms)`,
      };
    } else {
      outcome = await this.#attempt();
    }
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    const failed = outcome.status === "fail";
    const status: HealthStatus = failed && !this.critical ? "warn" : (outcome.status ?? "pass");
    const result: CheckResult = {
      name: this.name,
      componentType: this.check.componentType ?? "component",
      measurement: this.check.measurement ?? "status",
      status,
      critical: this.critical,
      observedValue: outcome.observedValue,
      observedUnit: outcome.observedUnit,
      output: outcome.output === undefined ? undefined : sanitize(outcome.output),
      time,
      durationMs,
      at: Date.now(),
    };
    this.#last = result;
    return result;
  }

  async #attempt(): Promise<CheckOutcome> {
    const controller = new AbortController();
    const context: CheckContext = { signal: controller.signal, timeoutMs: this.timeoutMs };
    const attempt = Promise.resolve().then(() => this.check.check(context));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.timeoutMs);
    });
    try {
      const value = await Promise.race([attempt, deadline]);
      if (value === TIMED_OUT) {
        controller.abort(new Error(`timed out after ${this.timeoutMs} ms`));
        const hung = attempt.then(
          () => undefined,
          () => undefined,
        );
        this.#hung = hung;
        void hung.then(() => {
          if (this.#hung === hung) this.#hung = undefined;
        });
        return { status: "fail", output: `timed out after ${this.timeoutMs} ms` };
      }
      return normalize(value);
    } catch (err) {
      return { status: "fail", output: errorText(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
