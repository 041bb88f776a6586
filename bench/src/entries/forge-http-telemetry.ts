/**
 * MCP Forge over Streamable HTTP with `telemetry()` from `@mcpforge/telemetry`:
 * `node forge-http-telemetry.js <stateless|stateful> <none|api|sdk|sdk-basic>`.
 *
 * - `none`: no telemetry (the baseline).
 * - `api`: `telemetry()` installed, no OpenTelemetry SDK registered (only `@opentelemetry/api`).
 * - `sdk`: a real SDK as a production server has it — `NodeTracerProvider` (AsyncLocalStorage
 *   context, W3C propagators) with a `BatchSpanProcessor` whose exporter drops every batch
 *   ("exporting to nowhere": no network), and a `MeterProvider` whose periodic reader does the
 *   same.
 * - `sdk-basic`: `telemetry()` with the least SDK there is — `BasicTracerProvider` from
 *   `@opentelemetry/sdk-trace-base` with the same `BatchSpanProcessor`, no context manager, no
 *   metrics SDK — to show what `sdk` spends on AsyncLocalStorage (whose promise hooks slow every
 *   promise of the process on Node 20) and metrics.
 *
 * Answers `{ type: "stats" }` with the `echo` calls served, the process's CPU time so far (µs)
 * and the spans exported (dropped): CPU time per call, unlike req/s, hardly moves when other
 * processes share the machine.
 */
import { createServer } from "@mcpforge/core";
import { telemetry } from "@mcpforge/telemetry";
import { metrics, trace } from "@opentelemetry/api";
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  NodeTracerProvider,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";
import { arg } from "./child.js";
import { modeArg, serveCounted } from "./serve.js";

const mode = modeArg(0);
const variant = arg(1, "api");

let exportedSpans = 0;
const nowhere: SpanExporter = {
  export(spans, done) {
    exportedSpans += spans.length;
    done({ code: 0 }); // ExportResultCode.SUCCESS
  },
  shutdown: async () => {},
};
if (variant === "sdk") {
  new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(nowhere)] }).register();
  const noMetrics: PushMetricExporter = {
    export: (_metrics, done) => done({ code: 0 }),
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  metrics.setGlobalMeterProvider(
    new MeterProvider({
      readers: [
        new PeriodicExportingMetricReader({ exporter: noMetrics, exportIntervalMillis: 1000 }),
      ],
    }),
  );
} else if (variant === "sdk-basic") {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(nowhere)] }),
  );
}

const app = createServer({ name: "bench-forge-telemetry", version: "1.0.0" });
if (variant !== "none") app.use(telemetry());
await serveCounted(app, mode, () => exportedSpans);
