import { createServer } from "@mcpforge/core";
import { createTestClient } from "@mcpforge/testing";
import { metrics, propagation, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { telemetry } from "./index.js";

const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };
const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

// This file registers no SDK until its last tests: @opentelemetry/api alone is in use.
describe("telemetry without an OpenTelemetry SDK", () => {
  const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(telemetry());
  const seen: Record<string, unknown>[] = [];
  app.tool("ask", { description: "Samples" }, async (_args, ctx) => {
    seen.push({ recording: ctx.var.span.isRecording(), active: trace.getActiveSpan() });
    await ctx.sample("hi");
    return "ok";
  });

  it("serves requests unchanged: non-recording spans, nothing added to outgoing _meta", async () => {
    const metas: unknown[] = [];
    await using client = await createTestClient(app, {
      sampling: (params) => {
        metas.push(params._meta);
        return { role: "assistant", model: "m", content: { type: "text", text: "ok" } };
      },
    });
    const result = await client.client.callTool({
      name: "ask",
      arguments: {},
      _meta: { traceparent: TRACEPARENT },
    });
    expect(result.content).toEqual([{ type: "text", text: "ok" }]);
    expect(seen).toEqual([{ recording: false, active: undefined }]);
    expect(metas).toEqual([undefined]);
  });

  it("with only a propagator registered, passes the caller's context on to outgoing requests", async () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const metas: unknown[] = [];
    await using client = await createTestClient(app, {
      sampling: (params) => {
        metas.push(params._meta);
        return { role: "assistant", model: "m", content: { type: "text", text: "ok" } };
      },
    });
    await client.client.callTool({
      name: "ask",
      arguments: {},
      _meta: { traceparent: TRACEPARENT },
    });
    expect(metas).toEqual([{ traceparent: TRACEPARENT }]);
  });

  it("starts recording once an SDK is registered, even though the server was built before", async () => {
    const spans = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    );
    const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    await using client = await createTestClient(app, {
      sampling: () => ({ role: "assistant", model: "m", content: { type: "text", text: "ok" } }),
    });
    await client.callTool("ask");
    expect(spans.getFinishedSpans().map((s) => s.name)).toEqual([
      "notifications/initialized",
      "sampling/createMessage",
      "tools/call ask",
    ]);
    await reader.forceFlush();
    const names = exporter
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)));
    expect(names).toContain("mcp.server.operation.duration");
  });
});
