import { getHeapStatistics } from "node:v8";
import {
  type CommonCheckOptions,
  check,
  checkCommon,
  common,
  optionsOf,
} from "../../internal/options.js";
import type { HealthCheck } from "../types.js";

/** Options of {@link heapCheck}. */
export interface HeapCheckOptions extends CommonCheckOptions {
  /** Fail above this many bytes of used heap. */
  maxUsedBytes?: number;
  /** Fail above this share of the heap size limit (0-1; default 0.9 when `maxUsedBytes` is not set). */
  maxUsedRatio?: number;
}

/** Options of {@link rssCheck}. */
export interface RssCheckOptions extends CommonCheckOptions {
  /** Fail above this resident set size, in bytes. */
  maxBytes: number;
}

function checkRatio(factory: string, value: unknown): void {
  if (value !== undefined && (typeof value !== "number" || !(value > 0 && value <= 1))) {
    throw check.error(factory, "maxUsedRatio must be a number in (0, 1]");
  }
}

/**
 * Used V8 heap against a limit: `maxUsedBytes`, or a share of the heap size limit
 * (`maxUsedRatio`, default 0.9). The observed value is the used heap in bytes.
 *
 * @param options.maxUsedBytes - the limit in bytes
 * @param options.maxUsedRatio - the limit as a share of `--max-old-space-size` (default 0.9)
 * @example
 * app.use(health({ checks: { heap: heapCheck({ maxUsedRatio: 0.85 }) } }));
 */
export function heapCheck(options?: HeapCheckOptions): HealthCheck {
  const factory = "heapCheck";
  const opts = optionsOf(factory, options);
  checkCommon(factory, opts);
  check.positiveInteger(factory, "maxUsedBytes", opts.maxUsedBytes, Number.MAX_SAFE_INTEGER);
  checkRatio(factory, opts.maxUsedRatio);
  const ratio = opts.maxUsedBytes === undefined ? (opts.maxUsedRatio ?? 0.9) : opts.maxUsedRatio;
  return {
    ...common(opts),
    componentType: "system",
    measurement: "utilization",
    check() {
      const stats = getHeapStatistics();
      const used = stats.used_heap_size;
      const limits = [
        opts.maxUsedBytes,
        ratio === undefined ? undefined : ratio * stats.heap_size_limit,
      ];
      const limit = Math.min(...limits.filter((l): l is number => l !== undefined));
      if (used > limit) {
        return {
          status: "fail",
          observedValue: used,
          observedUnit: "bytes",
          output: `heap used ${used} bytes exceeds ${Math.floor(limit)} bytes`,
        };
      }
      return { observedValue: used, observedUnit: "bytes" };
    },
  };
}

/**
 * Resident set size (`process.memoryUsage.rss()`) against `maxBytes`. The observed value is
 * the RSS in bytes.
 *
 * @param options.maxBytes - the limit in bytes (e.g. 90% of the container's memory limit)
 * @example
 * app.use(health({ checks: { rss: rssCheck({ maxBytes: 900 * 1024 * 1024 }) } }));
 */
export function rssCheck(options: RssCheckOptions): HealthCheck {
  const factory = "rssCheck";
  const opts = optionsOf(factory, options);
  checkCommon(factory, opts);
  if (opts.maxBytes === undefined) throw check.error(factory, "maxBytes is required");
  check.positiveInteger(factory, "maxBytes", opts.maxBytes, Number.MAX_SAFE_INTEGER);
  return {
    ...common(opts),
    componentType: "system",
    measurement: "utilization",
    check() {
      const rss = process.memoryUsage.rss();
      if (rss > opts.maxBytes) {
        return {
          status: "fail",
          observedValue: rss,
          observedUnit: "bytes",
          output: `RSS ${rss} bytes exceeds ${opts.maxBytes} bytes`,
        };
      }
      return { observedValue: rss, observedUnit: "bytes" };
    },
  };
}
