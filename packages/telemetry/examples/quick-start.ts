// Trace an MCP server: one SERVER span per request, joined to the caller's trace.
import { createServer } from "@mcpforge/core";
import { telemetry } from "@mcpforge/telemetry";
import { createTestClient } from "@mcpforge/testing";
import { SpanKind, trace } from "@opentelemetry/api";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-node";
import * as z from "zod";

// The OpenTelemetry SDK is yours to set up (here: spans kept in memory; see the OTLP example).
const spans = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).register();

const app = createServer({ name: "weather", version: "1.0.0" });
app.use(telemetry()); // first, so its span covers the other middleware too

const tracer = trace.getTracer("weather");
app.tool(
  "get_weather",
  { description: "Tomorrow's weather for a city", input: { city: z.string() } },
  ({ city }) =>
    // Handlers run inside the request's span: child spans need nothing special.
    tracer.startActiveSpan("forecast lookup", (span) => {
      span.setAttribute("weather.city", city);
      span.end();
      return `${city}: sunny`;
    }),
);

// An agent that is already traced sends its span's context in _meta (SEP-414).
await using client = await createTestClient(app);
await client.client.callTool({
  name: "get_weather",
  arguments: { city: "Paris" },
  _meta: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
});

for (const span of spans.getFinishedSpans()) {
  if (span.name.startsWith("notifications/")) continue;
  const { traceId, spanId } = span.spanContext();
  console.log(
    `${span.name} (${SpanKind[span.kind]}) trace ${traceId} span ${spanId} parent ${span.parentSpanContext?.spanId}`,
  );
}
const call = spans.getFinishedSpans().find((s) => s.name === "tools/call get_weather");
console.log("attributes:", call?.attributes);
