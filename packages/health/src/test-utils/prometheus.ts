import parsePrometheusTextFormat, { type Sample } from "parse-prometheus-text-format";

/** A /metrics body as parsed: each family's type, and every series by sample name. */
export interface ParsedMetrics {
  /** Family name → type (`COUNTER`, `GAUGE`, `HISTOGRAM`, …). */
  types: Map<string, string>;
  /** Sample name (`x_total`, `x_bucket`, `x_count`, …) → its series. */
  series: Map<string, Sample[]>;
}

/**
 * Parses a /metrics body with parse-prometheus-text-format. That parser folds a labeled
 * histogram's series into one unlabeled entry, so the body is parsed twice: once whole for
 * the family types, once without the histograms' `# TYPE`/`# HELP` lines, where each
 * `_bucket`, `_sum` and `_count` line comes back as a labeled sample of its own.
 */
export function parseMetrics(text: string): ParsedMetrics {
  const types = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f.type]));
  const histograms = [...types].filter(([, type]) => type === "HISTOGRAM").map(([name]) => name);
  const plain = text
    .split("\n")
    .filter(
      (line) =>
        !histograms.some((h) => line.startsWith(`# TYPE ${h} `) || line.startsWith(`# HELP ${h} `)),
    )
    .join("\n");
  const series = new Map<string, Sample[]>();
  for (const family of parsePrometheusTextFormat(plain)) {
    series.set(family.name, [...(series.get(family.name) ?? []), ...family.metrics]);
  }
  return { types, series };
}

/** The series of a sample name whose labels include `labels` (exactly these, with `exact`). */
export function find(
  parsed: ParsedMetrics,
  name: string,
  labels: Record<string, string> = {},
  exact = false,
): Sample[] {
  return (parsed.series.get(name) ?? []).filter((s) => {
    const own = s.labels ?? {};
    if (exact && Object.keys(own).length !== Object.keys(labels).length) return false;
    return Object.entries(labels).every(([k, v]) => own[k] === v);
  });
}

/** The value of the one series of `name` with exactly `labels` (undefined when absent). */
export function value(
  parsed: ParsedMetrics,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const [s] = find(parsed, name, labels, true);
  return s?.value === undefined ? undefined : Number(s.value);
}
