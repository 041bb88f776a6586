import { createServer } from "@mcpforge/core";
import { createTestClient } from "@mcpforge/testing";
import { ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { extractTraceContext, injectTraceMeta, telemetry } from "./index.js";
import {
  CLIENT_TRACE_ID,
  resetTelemetry,
  silentLogger,
  TRACEPARENT,
  takeSpans,
} from "./test-utils/otel.js";

beforeEach(() => resetTelemetry());

/** The span id in a traceparent. */
const spanIdOf = (traceparent: unknown) => String(traceparent).split("-")[2];

describe("outgoing requests carry the trace context in _meta", () => {
  it("sampling, elicitation and roots: one CLIENT span each, whose context is in params._meta", async () => {
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(telemetry());
    app.tool("ask", { description: "Asks the client three things" }, async (_args, ctx) => {
      await ctx.sample("Summarize");
      await ctx.elicit("Your name?", z.object({ name: z.string() }));
      await ctx.roots();
      return "done";
    });
    const metas: Record<string, Record<string, unknown> | undefined> = {};
    await using client = await createTestClient(app, {
      sampling: (params) => {
        metas.sampling = params._meta;
        return { role: "assistant", model: "m", content: { type: "text", text: "ok" } };
      },
      elicitation: (params) => {
        metas.elicitation = params._meta;
        return { action: "accept", content: { name: "Ada" } };
      },
      roots: [{ uri: "file:///work" }],
    });
    client.client.setRequestHandler(ListRootsRequestSchema, (request) => {
      metas.roots = request.params?._meta;
      return { roots: [] };
    });
    takeSpans();
    await client.client.callTool({
      name: "ask",
      arguments: {},
      _meta: { traceparent: TRACEPARENT, baggage: "tenant=acme" },
    });
    const spans = takeSpans();
    const server = spans.find((s) => s.name === "tools/call ask");
    const sessionId = [...app.sessions.keys()][0];
    for (const [key, method] of [
      ["sampling", "sampling/createMessage"],
      ["elicitation", "elicitation/create"],
      ["roots", "roots/list"],
    ] as const) {
      const span = spans.find((s) => s.name === method);
      expect(span?.kind).toBe(SpanKind.CLIENT);
      expect(span?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
      expect(span?.spanContext().traceId).toBe(CLIENT_TRACE_ID);
      expect(span?.attributes).toMatchObject({
        "mcp.method.name": method,
        "mcp.session.id": sessionId,
      });
      const meta = metas[key];
      expect(meta?.traceparent).toMatch(new RegExp(`^00-${CLIENT_TRACE_ID}-[0-9a-f]{16}-01$`));
      expect(spanIdOf(meta?.traceparent)).toBe(span?.spanContext().spanId);
      expect(meta?.baggage).toBe("tenant=acme");
    }
  });

  it("a failed outgoing request marks its CLIENT span with the error code", async () => {
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(telemetry());
    app.tool("ask", { description: "Asks the client" }, async (_args, ctx) => {
      await ctx.sample("Summarize");
      return "done";
    });
    await using client = await createTestClient(app, {
      sampling: () => {
        throw new Error("the user declined");
      },
    });
    takeSpans();
    await client.callToolRaw("ask");
    const span = takeSpans().find((s) => s.name === "sampling/createMessage");
    expect(span?.attributes["error.type"]).toBe("-32603");
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("ctx.outgoing() (a proxy's backend calls) gets the same: the incoming context is replaced, other _meta kept", async () => {
    const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(telemetry());
    const forwarded: { method: string; params?: Record<string, unknown> }[] = [];
    app.tool("forward", { description: "Forwards to a backend" }, (_args, ctx) =>
      ctx.outgoing(
        {
          method: "tools/call",
          params: { name: "remote", _meta: { ...(ctx.params._meta as object) } },
        },
        async (request) => {
          forwarded.push(request);
          return "forwarded";
        },
      ),
    );
    await using client = await createTestClient(app);
    takeSpans();
    await client.client.callTool({
      name: "forward",
      arguments: {},
      _meta: { traceparent: TRACEPARENT, progressToken: "p-1" },
    });
    const span = takeSpans().find((s) => s.name === "tools/call" && s.kind === SpanKind.CLIENT);
    const meta = forwarded[0]?.params?._meta as Record<string, unknown>;
    expect(meta.progressToken).toBe("p-1");
    expect(meta.traceparent).not.toBe(TRACEPARENT);
    expect(spanIdOf(meta.traceparent)).toBe(span?.spanContext().spanId);
    expect(span?.spanContext().traceId).toBe(CLIENT_TRACE_ID);
  });
});

describe("injectTraceMeta / extractTraceContext", () => {
  it("round-trip the SEP-414 keys and nothing else", () => {
    const parent = extractTraceContext({ traceparent: TRACEPARENT, tracestate: "a=1" });
    expect(trace.getSpanContext(parent)?.traceId).toBe(CLIENT_TRACE_ID);
    const meta = { progressToken: 7 };
    const out = injectTraceMeta(meta, parent);
    expect(out).toEqual({ progressToken: 7, traceparent: TRACEPARENT, tracestate: "a=1" });
    expect(meta).toEqual({ progressToken: 7 });
    const withBaggage = propagation.setBaggage(
      context.active(),
      propagation.createBaggage({ user: { value: "alice" } }),
    );
    expect(injectTraceMeta(undefined, withBaggage)).toEqual({ baggage: "user=alice" });
  });

  it("leave _meta alone without trace context", () => {
    const meta = { progressToken: 7 };
    expect(injectTraceMeta(meta, context.active())).toBe(meta);
    expect(injectTraceMeta(undefined)).toBeUndefined();
    const base = context.active();
    expect(extractTraceContext(undefined, base)).toBe(base);
    expect(extractTraceContext("00-abc", base)).toBe(base);
    expect(extractTraceContext({ "x-traceparent": TRACEPARENT }, base)).toBe(base);
    expect(trace.getSpanContext(extractTraceContext({ traceparent: "garbage" }))).toBeUndefined();
  });
});
