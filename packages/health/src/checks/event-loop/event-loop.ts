import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import {
  type CommonCheckOptions,
  check,
  checkCommon,
  common,
  optionsOf,
} from "../../internal/options.js";
import type { HealthCheck } from "../types.js";

/** Options of {@link eventLoopCheck}. */
export interface EventLoopCheckOptions extends CommonCheckOptions {
  /** The delay above which the check fails, in ms (default 500). */
  maxDelayMs?: number;
  /** Which percentile of the delays since the last run is compared (default 99). */
  percentile?: number;
  /** The sampling resolution of `monitorEventLoopDelay`, in ms (default 20). */
  resolutionMs?: number;
}

const FACTORY = "eventLoopCheck";

/**
 * Event-loop delay, measured with `perf_hooks.monitorEventLoopDelay`: fails when the chosen
 * percentile of the delays seen since the previous run exceeds `maxDelayMs`. The observed
 * value is that percentile, in ms.
 *
 * @param options.maxDelayMs - the threshold in ms (default 500)
 * @param options.percentile - the percentile compared (default 99)
 * @param options.resolutionMs - the sampling resolution in ms (default 20)
 * @example
 * app.use(health({ checks: { eventLoop: eventLoopCheck({ maxDelayMs: 200 }) } }));
 */
export function eventLoopCheck(options?: EventLoopCheckOptions): HealthCheck {
  const opts = optionsOf(FACTORY, options);
  checkCommon(FACTORY, opts);
  check.duration(FACTORY, "maxDelayMs", opts.maxDelayMs);
  if (
    opts.percentile !== undefined &&
    (typeof opts.percentile !== "number" || !(opts.percentile > 0 && opts.percentile <= 100))
  ) {
    throw check.error(FACTORY, "percentile must be a number in (0, 100]");
  }
  check.positiveInteger(FACTORY, "resolutionMs", opts.resolutionMs, 1000);
  const maxDelayMs = opts.maxDelayMs ?? 500;
  const percentile = opts.percentile ?? 99;
  let histogram: IntervalHistogram | undefined;
  const start = () => {
    if (histogram) return;
    histogram = monitorEventLoopDelay({ resolution: opts.resolutionMs ?? 20 });
    histogram.enable();
  };
  return {
    ...common(opts),
    componentType: "system",
    measurement: "delay",
    start,
    check() {
      start();
      const h = histogram as IntervalHistogram;
      const delayMs = h.count === 0 ? 0 : h.percentile(percentile) / 1e6;
      h.reset();
      const observedValue = Math.round(delayMs * 100) / 100;
      if (delayMs > maxDelayMs) {
        return {
          status: "fail",
          observedValue,
          observedUnit: "ms",
          output: `event-loop delay p${percentile} ${observedValue} ms exceeds ${maxDelayMs} ms`,
        };
      }
      return { observedValue, observedUnit: "ms" };
    },
    close() {
      histogram?.disable();
      histogram = undefined;
    },
  };
}
