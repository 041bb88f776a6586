// Export traces and metrics to Jaeger (or any OpenTelemetry collector) over OTLP/HTTP.
//   docker run --rm -p 16686:16686 -p 4318:4318 jaegertracing/jaeger:latest
//   then open http://localhost:16686 and pick the "weather-mcp" service.
import { createServer } from "@mcpforge/core";
import { telemetry } from "@mcpforge/telemetry";
import { createTestClient } from "@mcpforge/testing";
import { metrics } from "@opentelemetry/api";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import * as z from "zod";

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://localhost:4318";
const resource = resourceFromAttributes({ "service.name": "weather-mcp" });

// Set up the SDK before the server handles requests (NodeSDK from @opentelemetry/sdk-node works too).
const tracerProvider = new NodeTracerProvider({
  resource,
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))],
});
tracerProvider.register(); // also W3C trace context + baggage propagation and async context
const meterProvider = new MeterProvider({
  resource,
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${endpoint}/v1/metrics` }),
      exportIntervalMillis: 15_000,
    }),
  ],
});
metrics.setGlobalMeterProvider(meterProvider);

const app = createServer({ name: "weather", version: "1.0.0" });
app.use(telemetry());
app.tool(
  "get_weather",
  { description: "Tomorrow's weather for a city", input: { city: z.string() } },
  ({ city }) => `${city}: sunny`,
);
// Flush what is buffered when the server stops (app.run() closes the app on SIGTERM/SIGINT).
// An unreachable collector costs the data (after OTEL_EXPORTER_OTLP_TIMEOUT), never the server.
app.onClose(async () => {
  const flushed = await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
  for (const r of flushed) {
    if (r.status === "rejected") console.error(`telemetry not exported: ${String(r.reason)}`);
  }
});

// Here one call in-process; a real server would `await app.run()`.
const client = await createTestClient(app);
console.log(await client.callTool("get_weather", { city: "Paris" }));
await client.close();
await app.close();
console.log(`closed; telemetry went to ${endpoint}`);
