/**
 * Test fixture: an MCP server over stdio with telemetry and a real OpenTelemetry SDK that
 * writes finished spans and exported histograms as JSON lines to the file in TELEMETRY_OUT.
 */
import { appendFileSync } from "node:fs";
import { createServer } from "@mcpforge/core";
import { metrics } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import {
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";
import * as z from "zod";
import { telemetry } from "../index.js";

const out = process.env.TELEMETRY_OUT;
if (!out) throw new Error("set TELEMETRY_OUT");
const write = (line: unknown) => appendFileSync(out, `${JSON.stringify(line)}\n`);

const spans: SpanExporter = {
  export(batch: ReadableSpan[], done: (result: ExportResult) => void) {
    for (const s of batch) {
      write({
        type: "span",
        name: s.name,
        kind: s.kind,
        traceId: s.spanContext().traceId,
        spanId: s.spanContext().spanId,
        parentSpanId: s.parentSpanContext?.spanId,
        attributes: s.attributes,
        status: s.status,
      });
    }
    done({ code: ExportResultCode.SUCCESS });
  },
  shutdown: async () => {},
};
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).register();

const histograms: PushMetricExporter = {
  export(batch: ResourceMetrics, done: (result: ExportResult) => void) {
    for (const scope of batch.scopeMetrics) {
      for (const m of scope.metrics) {
        if (m.dataPointType !== DataPointType.HISTOGRAM) continue;
        for (const p of m.dataPoints) {
          write({
            type: "histogram",
            name: m.descriptor.name,
            attributes: p.attributes,
            count: p.value.count,
          });
        }
      }
    }
    done({ code: ExportResultCode.SUCCESS });
  },
  selectAggregationTemporality: () => AggregationTemporality.DELTA,
  forceFlush: async () => {},
  shutdown: async () => {},
};
const meterProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({ exporter: histograms, exportIntervalMillis: 3_600_000 }),
  ],
});
metrics.setGlobalMeterProvider(meterProvider);

const app = createServer({ name: "stdio-weather", version: "1.0.0" }).use(telemetry());
app.tool(
  "get_weather",
  { description: "Weather", input: { city: z.string() } },
  ({ city }) => `${city}: sunny`,
);
app.tool("broken", { description: "Throws" }, () => {
  throw new Error("sensor offline");
});
app.tool("summarize", { description: "Asks the client's LLM" }, async (_args, ctx) => {
  const reply = await ctx.sample("Summarize");
  return (reply.content as { text: string }).text;
});
app.onClose(() => meterProvider.forceFlush());
await app.run({ transport: "stdio" });
