import { createRequire } from "node:module";
import type { Histogram } from "prom-client";

/**
 * Whether the installed prom-client is a release whose histogram layout the recorder was
 * checked against (15.1.x); any other release gets plain `observe()`.
 */
export const knownLayout: boolean = /^15\.1\./.test(
  String(
    (createRequire(import.meta.url)("prom-client/package.json") as { version?: unknown }).version,
  ),
);

/** prom-client 15's record of one label set's values in a histogram (`hashMap` entries). */
interface ValueRecord {
  labels: Record<string, string>;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

/** The parts of a prom-client histogram that hold its values (not in its typings). */
interface HistogramValues {
  hashMap: Record<string, ValueRecord>;
  upperBounds: number[];
}

/**
 * Records observations of one label set of a prom-client histogram, adding them to the
 * histogram's own record of that label set — what `child.observe(v)` does, without
 * validating the labels and hashing them again on every call. The first observation (and the
 * first after a `reset()`) goes through `observe()` itself, which creates the record; the
 * recorder then finds it and checks on each call that it is still the histogram's (so a reset
 * is noticed). With a prom-client release other than 15.1.x ({@link knownLayout}), or a
 * histogram that does not hold its values the way it does, every observation goes through
 * `observe()`. The exposition is the same either way.
 *
 * @example
 * import { Histogram } from "prom-client";
 * const h = new Histogram({ name: "d", help: "d", labelNames: ["m"], buckets: [0.1, 1] });
 * const record = labelSetRecorder(h, { m: "tools/call" });
 * record(0.05);
 */
export function labelSetRecorder<T extends string>(
  histogram: Histogram<T>,
  labels: Partial<Record<T, string>>,
): (value: number) => void {
  const child = histogram.labels(labels);
  if (!knownLayout) return (value) => child.observe(value);
  const values = histogram as unknown as Partial<HistogramValues>;
  let key: string | undefined;
  let record: ValueRecord | undefined;
  const find = () => {
    key = undefined;
    record = undefined;
    const map = values.hashMap;
    if (typeof map !== "object" || map === null || !Array.isArray(values.upperBounds)) return;
    for (const k in map) {
      const r = map[k];
      if (r && sameLabels(r.labels, labels) && isRecord(r)) {
        key = k;
        record = r;
        return;
      }
    }
  };
  // The bucket keys as the record holds them (`String(bound)`), made once per bounds array.
  let keysOf: number[] | undefined;
  let keys: string[] = [];
  return (value) => {
    const map = values.hashMap;
    if (record === undefined || map?.[key as string] !== record || !Number.isFinite(value)) {
      child.observe(value);
      find();
      return;
    }
    const bounds = values.upperBounds as number[];
    if (bounds !== keysOf) {
      keysOf = bounds;
      keys = bounds.map(String);
    }
    record.sum += value;
    record.count += 1;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        const buckets = record.bucketValues as Record<string, number>;
        const k = keys[i] as string;
        if (Object.hasOwn(buckets, k)) buckets[k] = (buckets[k] as number) + 1;
        return;
      }
    }
  };
}

function isRecord(r: ValueRecord): boolean {
  return (
    typeof r.sum === "number" &&
    typeof r.count === "number" &&
    typeof r.bucketValues === "object" &&
    r.bucketValues !== null
  );
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, unknown>): boolean {
  if (typeof a !== "object" || a === null) return false;
  let n = 0;
  for (const k in b) {
    if (b[k] === undefined) continue;
    n++;
    if (a[k] !== b[k]) return false;
  }
  let m = 0;
  for (const k in a) if (a[k] !== undefined) m++;
  return n === m;
}
