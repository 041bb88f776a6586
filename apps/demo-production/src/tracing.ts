// Exports traces over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (Jaeger, Tempo, an
// OpenTelemetry collector). The telemetry() middleware makes the spans; this is the SDK.
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

/**
 * Registers a tracer provider exporting to `endpoint` (`/v1/traces` is added); returns the
 * function that flushes and stops it (call it when the server closes).
 *
 * @example
 * const stop = startTracing("http://127.0.0.1:4318", "demo-production");
 * await stop();
 */
export function startTracing(endpoint: string, serviceName: string): () => Promise<void> {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, "")}/v1/traces` }),
      ),
    ],
  });
  provider.register();
  return () => provider.shutdown().catch(() => undefined); // a collector that is gone costs the data, not the exit
}
