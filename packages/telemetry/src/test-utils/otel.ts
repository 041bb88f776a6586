/**
 * Test-only: a real OpenTelemetry SDK registered globally for one test file — spans into an
 * in-memory exporter, metrics through a reader into the metrics SDK's in-memory exporter, W3C
 * trace context and baggage propagation, AsyncLocalStorage context.
 */
import { type Attributes, metrics } from "@opentelemetry/api";
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-node";

export const spanExporter = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] }).register();

const metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

/** A traceparent of a made-up client span, and its ids. */
export const CLIENT_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
export const CLIENT_SPAN_ID = "00f067aa0ba902b7";
export const TRACEPARENT = `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`;

/** Finished spans so far (then forgets them). */
export function takeSpans(): ReadableSpan[] {
  const out = spanExporter.getFinishedSpans();
  spanExporter.reset();
  return out;
}

/** The finished span named `name`, waiting for it a little (cancelled calls end late). */
export async function waitForSpan(name: string, timeoutMs = 5000): Promise<ReadableSpan> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const span = spanExporter.getFinishedSpans().find((s) => s.name === name);
    if (span) return span;
    if (Date.now() > deadline) {
      const names = spanExporter.getFinishedSpans().map((s) => s.name);
      throw new Error(`no span "${name}" (finished: ${names.join(", ") || "none"})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One histogram data point as the metrics SDK exports it. */
export interface HistogramPoint {
  attributes: Attributes;
  count: number;
  sum: number;
  boundaries: number[];
}

/** A histogram's unit, instrumentation scope and points since the last call (delta temporality). */
export async function takeHistogram(
  name: string,
): Promise<{ unit: string; scope: string; points: HistogramPoint[] }> {
  await reader.forceFlush();
  let unit = "";
  let scopeName = "";
  const points: HistogramPoint[] = [];
  for (const resource of metricExporter.getMetrics()) {
    for (const scope of resource.scopeMetrics) {
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== name || metric.dataPointType !== DataPointType.HISTOGRAM) {
          continue;
        }
        unit = metric.descriptor.unit;
        scopeName = scope.scope.name;
        for (const p of metric.dataPoints) {
          points.push({
            attributes: p.attributes,
            count: p.value.count,
            sum: p.value.sum ?? 0,
            boundaries: p.value.buckets.boundaries,
          });
        }
      }
    }
  }
  metricExporter.reset();
  return { unit, scope: scopeName, points };
}

/** Forgets spans and metrics recorded so far. */
export async function resetTelemetry(): Promise<void> {
  await reader.forceFlush();
  metricExporter.reset();
  spanExporter.reset();
}

/** A logger that drops everything (the apps' own diagnostics stay out of test output). */
export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };
