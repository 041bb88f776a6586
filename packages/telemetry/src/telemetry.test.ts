import { createServer, McpForgeError, ToolError } from "@mcpforge/core";
import { createTestClient, testMiddleware } from "@mcpforge/testing";
import { metrics, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { DURATION_BUCKETS, telemetry } from "./index.js";
import {
  CLIENT_SPAN_ID,
  CLIENT_TRACE_ID,
  resetTelemetry,
  silentLogger,
  TRACEPARENT,
  takeHistogram,
  takeSpans,
  waitForSpan,
} from "./test-utils/otel.js";

function weatherApp(options?: Parameters<typeof telemetry>[0]) {
  const app = createServer({ name: "weather", version: "1.0.0", logger: silentLogger }).use(
    telemetry(options),
  );
  app.tool(
    "get_weather",
    { description: "Weather of a city", input: { city: z.string() } },
    ({ city }) => ({ city, sky: "sunny" }),
  );
  return app;
}

testMiddleware("telemetry", () => telemetry({ captureArguments: true, captureResults: true }));

beforeEach(() => resetTelemetry());

describe("telemetry: the SERVER span of a request", () => {
  it("has the traceparent in _meta as parent, the conventional name, kind and attributes", async () => {
    const app = weatherApp();
    await using client = await createTestClient(app);
    takeSpans();
    const result = await client.client.callTool({
      name: "get_weather",
      arguments: { city: "Paris" },
      _meta: { traceparent: TRACEPARENT, tracestate: "rojo=00f067aa0ba902b7" },
    });
    expect(result.structuredContent).toEqual({ city: "Paris", sky: "sunny" });
    const [span, ...others] = takeSpans();
    expect(others).toEqual([]);
    expect(span?.name).toBe("tools/call get_weather");
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe(CLIENT_TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    expect(span?.parentSpanContext?.isRemote).toBe(true);
    expect(span?.spanContext().traceState?.get("rojo")).toBe("00f067aa0ba902b7");
    expect(span?.links).toEqual([]);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    const session = [...app.sessions.values()][0];
    expect(span?.attributes).toEqual({
      "mcp.method.name": "tools/call",
      "gen_ai.tool.name": "get_weather",
      "gen_ai.operation.name": "execute_tool",
      "jsonrpc.request.id": expect.stringMatching(/^\d+$/),
      "mcp.session.id": session?.id,
      "mcp.protocol.version": session?.protocolVersion,
    });
    expect(span?.instrumentationScope.name).toBe("@mcpforge/telemetry");
  });

  it("without trace context in _meta starts a new trace (no parent)", async () => {
    await using client = await createTestClient(weatherApp());
    takeSpans();
    await client.callTool("get_weather", { city: "Oslo" });
    const [span] = takeSpans();
    expect(span?.name).toBe("tools/call get_weather");
    expect(span?.parentSpanContext).toBeUndefined();
  });

  it("runs the handler inside the span: active span, ctx.var, child spans, baggage", async () => {
    const app = weatherApp();
    let seen: Record<string, unknown> = {};
    app.tool("traced", { description: "Starts a child span" }, (_args, ctx) => {
      const active = trace.getActiveSpan();
      seen = {
        sameSpan: active === ctx.var.span,
        activeTraceId: active?.spanContext().traceId,
        user: propagation.getActiveBaggage()?.getEntry("user.id")?.value,
      };
      const tracer = trace.getTracer("handler");
      tracer.startActiveSpan("lookup", (child) => child.end());
      tracer.startSpan("explicit", {}, ctx.var.traceContext).end();
      return "ok";
    });
    await using client = await createTestClient(app);
    takeSpans();
    await client.client.callTool({
      name: "traced",
      arguments: {},
      _meta: { traceparent: TRACEPARENT, baggage: "user.id=alice" },
    });
    expect(seen).toEqual({ sameSpan: true, activeTraceId: CLIENT_TRACE_ID, user: "alice" });
    const spans = takeSpans();
    const server = spans.find((s) => s.name === "tools/call traced");
    for (const name of ["lookup", "explicit"]) {
      const child = spans.find((s) => s.name === name);
      expect(child?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
      expect(child?.spanContext().traceId).toBe(CLIENT_TRACE_ID);
    }
  });

  it("names prompt and resource spans; resource URIs are in names only when opted in", async () => {
    for (const resourceUriAsTarget of [false, true]) {
      const app = weatherApp({ resourceUriAsTarget });
      app.prompt("review", { args: { code: z.string() } }, ({ code }) => `Review ${code}`);
      app.resource("config://app", {}, () => "{}");
      await using client = await createTestClient(app);
      takeSpans();
      await client.getPrompt("review", { code: "x" });
      await client.readResource("config://app");
      await client.listTools();
      const [prompt, resource, list] = takeSpans();
      expect(prompt?.name).toBe("prompts/get review");
      expect(prompt?.attributes["gen_ai.prompt.name"]).toBe("review");
      expect(prompt?.attributes["gen_ai.operation.name"]).toBeUndefined();
      expect(resource?.name).toBe(
        resourceUriAsTarget ? "resources/read config://app" : "resources/read",
      );
      expect(resource?.attributes["mcp.resource.uri"]).toBe("config://app");
      expect(list?.name).toBe("tools/list");
    }
  });

  it("traces client notifications too", async () => {
    const app = weatherApp();
    takeSpans();
    await using client = await createTestClient(app, { roots: [] });
    await client.client.notification({
      method: "notifications/roots/list_changed",
      params: { _meta: { traceparent: TRACEPARENT } },
    });
    const span = await waitForSpan("notifications/roots/list_changed");
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    expect(span.attributes).toEqual({
      "mcp.method.name": "notifications/roots/list_changed",
      "mcp.session.id": [...app.sessions.keys()][0],
    });
    expect(takeSpans().map((s) => s.name)).toContain("notifications/initialized");
  });
});

describe("telemetry: failures", () => {
  function failingApp() {
    const app = weatherApp();
    app.tool("throws", { description: "Throws" }, () => {
      throw new Error("database down at 10.0.0.7");
    });
    app.tool("tool_error", { description: "ToolError" }, () => {
      throw new ToolError("City not found");
    });
    app.tool("is_error", { description: "isError result" }, () => ({
      isError: true,
      content: [{ type: "text" as const, text: "nope" }],
    }));
    app.tool("guarded", { description: "Refused by middleware" }, () => "never");
    app.use({
      onCallTool: (ctx, next) => {
        if (ctx.params.name === "guarded") throw new McpForgeError("forbidden", "Not for you");
        return next();
      },
    });
    return app;
  }

  it("a throwing tool, a ToolError and an isError result are tool_error; the status is ERROR", async () => {
    await using client = await createTestClient(failingApp());
    takeSpans();
    for (const name of ["throws", "tool_error", "is_error"]) {
      const result = await client.callToolRaw(name);
      expect(result.isError).toBe(true);
    }
    const [throws, toolError, isError] = takeSpans();
    for (const span of [throws, toolError, isError]) {
      expect(span?.attributes["error.type"]).toBe("tool_error");
      expect(span?.attributes["rpc.response.status_code"]).toBeUndefined();
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    }
    expect(throws?.events.map((e) => e.name)).toEqual(["exception"]);
    expect(throws?.events[0]?.attributes?.["exception.message"]).toBe("database down at 10.0.0.7");
    expect(isError?.events).toEqual([]);
  });

  it("an unknown tool is -32602 and keeps the made-up name out of the span name", async () => {
    await using client = await createTestClient(failingApp());
    takeSpans();
    await expect(client.callToolRaw("no_such_tool")).rejects.toThrow(/Unknown tool/);
    const [span] = takeSpans();
    expect(span?.name).toBe("tools/call");
    expect(span?.attributes).toMatchObject({
      "gen_ai.tool.name": "no_such_tool",
      "error.type": "-32602",
      "rpc.response.status_code": "-32602",
    });
    expect(span?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: "Unknown tool: no_such_tool",
    });
  });

  it("a JSON-RPC error from middleware keeps its code", async () => {
    await using client = await createTestClient(failingApp());
    takeSpans();
    await expect(client.callToolRaw("guarded")).rejects.toThrow(/Not for you/);
    const [span] = takeSpans();
    expect(span?.attributes["error.type"]).toBe("-32003");
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: "Not for you" });
  });

  it("a request the client cancels is -32800", async () => {
    const app = weatherApp();
    let started = false;
    app.tool("slow", { description: "Waits until cancelled" }, (_args, ctx) => {
      started = true;
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener("abort", () => reject(new Error("aborted")));
      });
    });
    await using client = await createTestClient(app);
    takeSpans();
    const controller = new AbortController();
    const call = client.callToolRaw("slow", {}, { signal: controller.signal });
    while (!started) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort("user gave up");
    await expect(call).rejects.toThrow();
    const span = await waitForSpan("tools/call slow");
    expect(span.attributes["error.type"]).toBe("-32800");
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "Request was cancelled" });
  });
});

describe("telemetry: captured arguments and results", () => {
  it("records neither by default", async () => {
    await using client = await createTestClient(weatherApp());
    takeSpans();
    await client.callTool("get_weather", { city: "Paris" });
    const [span] = takeSpans();
    expect(
      Object.keys(span?.attributes ?? {}).filter((k) => k.startsWith("gen_ai.tool.call")),
    ).toEqual([]);
  });

  it("records them as JSON when opted in, cut at maxCapturedLength", async () => {
    const app = weatherApp({ captureArguments: true, captureResults: true, maxCapturedLength: 40 });
    app.tool("fails", { description: "isError", input: { secret: z.string() } }, () => {
      throw new ToolError("no");
    });
    await using client = await createTestClient(app);
    takeSpans();
    await client.callTool("get_weather", { city: "Paris" });
    await client.callTool("get_weather", { city: "x".repeat(100) });
    await client.callToolRaw("fails", { secret: "s3" });
    const [short, long, failed] = takeSpans();
    expect(short?.attributes["gen_ai.tool.call.arguments"]).toBe('{"city":"Paris"}');
    expect(short?.attributes["gen_ai.tool.call.result"]).toBe('{"city":"Paris","sky":"sunny"}');
    expect(long?.attributes["gen_ai.tool.call.arguments"]).toBe(
      `{"city":"${"x".repeat(31)}…[71 more characters]`,
    );
    expect(failed?.attributes["gen_ai.tool.call.arguments"]).toBe('{"secret":"s3"}');
    expect(failed?.attributes["gen_ai.tool.call.result"]).toBeUndefined();
  });
});

describe("telemetry: metrics", () => {
  it("records mcp.server.operation.duration in seconds with the advised buckets, low-cardinality attributes only", async () => {
    const app = weatherApp();
    app.tool("boom", { description: "Throws" }, () => {
      throw new Error("x");
    });
    await using client = await createTestClient(app);
    await takeHistogram("mcp.server.operation.duration");
    await client.callTool("get_weather", { city: "Paris" });
    await client.callTool("get_weather", { city: "Rome" });
    await client.callToolRaw("boom");
    await expect(client.callToolRaw("made_up_name")).rejects.toThrow();
    const { unit, points } = await takeHistogram("mcp.server.operation.duration");
    expect(unit).toBe("s");
    const version = [...app.sessions.values()][0]?.protocolVersion;
    const base = {
      "mcp.method.name": "tools/call",
      "gen_ai.operation.name": "execute_tool",
      "mcp.protocol.version": version,
    };
    const byTool = (name: string | undefined) =>
      points.find((p) => p.attributes["gen_ai.tool.name"] === name);
    expect(byTool("get_weather")?.attributes).toEqual({
      ...base,
      "gen_ai.tool.name": "get_weather",
    });
    expect(byTool("get_weather")?.count).toBe(2);
    expect(byTool("get_weather")?.boundaries).toEqual([...DURATION_BUCKETS]);
    expect(byTool("get_weather")?.sum).toBeGreaterThan(0);
    expect(byTool("get_weather")?.sum).toBeLessThan(60);
    expect(byTool("boom")?.attributes["error.type"]).toBe("tool_error");
    expect(byTool(undefined)?.attributes).toEqual({
      ...base,
      "error.type": "-32602",
      "rpc.response.status_code": "-32602",
    });
    expect(points).toHaveLength(3);
  });

  it("records mcp.server.session.duration when a session closes", async () => {
    const app = weatherApp();
    const client = await createTestClient(app);
    const version = [...app.sessions.values()][0]?.protocolVersion;
    await client.close();
    await app.close();
    const { unit, points } = await takeHistogram("mcp.server.session.duration");
    expect(unit).toBe("s");
    expect(points).toEqual([
      {
        attributes: { "mcp.protocol.version": version },
        count: 1,
        sum: expect.any(Number),
        boundaries: [...DURATION_BUCKETS],
      },
    ]);
  });
});

describe("telemetry(): options", () => {
  it("validates its options", () => {
    expect(() => telemetry("on" as never)).toThrow(
      /^@mcpforge\/telemetry: telemetry\(\): options must be an object/,
    );
    expect(() => telemetry({ tracer: {} as never })).toThrow(/tracer/);
    expect(() => telemetry({ meter: {} as never })).toThrow(/meter/);
    expect(() => telemetry({ captureArguments: "yes" as never })).toThrow(
      /captureArguments must be a boolean/,
    );
    expect(() => telemetry({ captureResults: 1 as never })).toThrow(/captureResults/);
    expect(() => telemetry({ resourceUriAsTarget: 1 as never })).toThrow(/resourceUriAsTarget/);
    expect(() => telemetry({ maxCapturedLength: 0 })).toThrow(/maxCapturedLength/);
    expect(() => telemetry({ maxCapturedLength: 1.5 })).toThrow(/maxCapturedLength/);
    expect(() => telemetry({})).not.toThrow();
  });

  it("uses the tracer and meter it is given", async () => {
    const tracer = trace.getTracer("my-tracer");
    const meter = metrics.getMeter("my-meter");
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
      telemetry({ tracer, meter }),
    );
    app.tool("ping", { description: "Pong" }, () => "pong");
    await using client = await createTestClient(app);
    takeSpans();
    await client.callTool("ping");
    expect(takeSpans()[0]?.instrumentationScope.name).toBe("my-tracer");
    expect((await takeHistogram("mcp.server.operation.duration")).scope).toBe("my-meter");
  });
});
