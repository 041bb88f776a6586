import type { HealthStatus } from "../checks/types.js";
import type { CheckResult } from "./runner.js";

/** One entry of a report's `checks`, per the IETF health-check response format. */
export interface CheckEntry {
  componentType: string;
  status: HealthStatus;
  time: string;
  observedValue?: number | string | boolean;
  observedUnit?: string;
  output?: string;
  /** Whether a failure makes the server unready (an extension of the format). */
  critical: boolean;
  /** How long the last run took, in ms (an extension of the format). */
  durationMs: number;
}

/**
 * A health report in the IETF health-check response format (`application/health+json`):
 * `status`, and with details `checks` keyed `component:measurement`, plus `output` and notes.
 */
export interface HealthReport {
  status: HealthStatus;
  /** Why the server is not ready (`starting`, `draining`, a failing check), with details only. */
  output?: string;
  /** The service's name and version (with details only). */
  serviceId?: string;
  version?: string;
  checks?: Record<string, CheckEntry[]>;
}

/** The report's content type. */
export const HEALTH_JSON = "application/health+json";

/** The overall status of some check results: any `fail` fails, else any `warn` warns. */
export function overall(results: readonly CheckResult[]): HealthStatus {
  if (results.some((r) => r.status === "fail")) return "fail";
  if (results.some((r) => r.status === "warn")) return "warn";
  return "pass";
}

/**
 * The `checks` object of a report from check results.
 *
 * @example
 * import { CheckRunner } from "./runner.js";
 * const runner = new CheckRunner("db", { check: () => undefined }, { timeoutMs: 1000, intervalMs: 5000, critical: true });
 * const results = [await runner.result()];
 * const report: HealthReport = { status: overall(results), checks: checkEntries(results) };
 */
export function checkEntries(results: readonly CheckResult[]): Record<string, CheckEntry[]> {
  const checks: Record<string, CheckEntry[]> = {};
  for (const r of results) {
    const entry: CheckEntry = {
      componentType: r.componentType,
      status: r.status,
      time: r.time,
      critical: r.critical,
      durationMs: r.durationMs,
    };
    if (r.observedValue !== undefined) entry.observedValue = r.observedValue;
    if (r.observedUnit !== undefined) entry.observedUnit = r.observedUnit;
    if (r.output !== undefined) entry.output = r.output;
    const key = `${r.name}:${r.measurement}`;
    const list = checks[key] ?? [];
    list.push(entry);
    checks[key] = list;
  }
  return checks;
}
