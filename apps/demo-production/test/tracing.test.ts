// telemetry() in the stack: each request is a SERVER span joined to the caller's trace
// (traceparent in _meta), with the tool's name; the OpenTelemetry SDK here keeps spans in memory.
import { SpanKind } from "@opentelemetry/api";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, startIdp, startServer, testEnv, testSchema } from "./helpers.js";

describe("tracing", () => {
  const spans = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  let db: Awaited<ReturnType<typeof testSchema>>;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    provider.register();
    db = await testSchema();
    idp = await startIdp();
    server = await startServer(testEnv(db.schema, idp));
  });

  afterAll(async () => {
    await server?.close();
    idp?.server.close();
    await db?.drop();
    await provider.shutdown();
  });

  it("records a SERVER span per call under the caller's trace", async () => {
    const client = await connect(server.url, await idp.token(["db:read"]));
    try {
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      await client.callTool({
        name: "query_database",
        arguments: { sql: "SELECT 1 AS one" },
        _meta: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });
      const span = spans.getFinishedSpans().find((s) => s.name === "tools/call query_database");
      expect(span?.kind).toBe(SpanKind.SERVER);
      expect(span?.spanContext().traceId).toBe(traceId);
      expect(span?.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
    } finally {
      await client.close();
    }
  });
});
