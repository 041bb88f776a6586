import { createServer } from "@mcpforge/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { SpanKind } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { telemetry } from "./index.js";
import {
  CLIENT_SPAN_ID,
  CLIENT_TRACE_ID,
  resetTelemetry,
  silentLogger,
  TRACEPARENT,
  takeHistogram,
  takeSpans,
} from "./test-utils/otel.js";

/** The trace context of an HTTP client span (what an instrumented HTTP client would send). */
const HTTP_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const HTTP_SPAN_ID = "b7ad6b7169203331";
const HTTP_TRACEPARENT = `00-${HTTP_TRACE_ID}-${HTTP_SPAN_ID}-01`;

function weatherApp() {
  const app = createServer({ name: "weather", version: "1.0.0", logger: silentLogger }).use(
    telemetry(),
  );
  app.tool(
    "get_weather",
    { description: "Weather of a city", input: { city: z.string() } },
    ({ city }) => `${city}: sunny`,
  );
  app.tool("summarize", { description: "Asks the client's LLM" }, async (_args, ctx) => {
    const reply = await ctx.sample("Summarize the weather");
    return (reply.content as { text: string }).text;
  });
  return app;
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function serve(mode: "stateful" | "stateless") {
  const app = weatherApp();
  const http = await app.listen({ port: 0, mode });
  closers.push(() => http.close());
  return { app, url: http.url };
}

async function connectClient(url: string, headers?: Record<string, string>) {
  const client = new Client(
    { name: "http-test", version: "0.0.0" },
    { capabilities: { sampling: {} } },
  );
  const transport = new StreamableHTTPClientTransport(
    new URL(url),
    headers ? { requestInit: { headers } } : undefined,
  );
  await client.connect(transport);
  closers.push(() => client.close());
  return { client, transport };
}

beforeEach(() => resetTelemetry());

describe("telemetry over Streamable HTTP, stateful", () => {
  it("parents the span on _meta, links the HTTP request's context, records tcp/http and the session", async () => {
    const { url } = await serve("stateful");
    const { client, transport } = await connectClient(url, { traceparent: HTTP_TRACEPARENT });
    takeSpans();
    await client.callTool({
      name: "get_weather",
      arguments: { city: "Paris" },
      _meta: { traceparent: TRACEPARENT },
    });
    const [span] = takeSpans();
    expect(span?.name).toBe("tools/call get_weather");
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe(CLIENT_TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    expect(span?.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([
      [HTTP_TRACE_ID, HTTP_SPAN_ID],
    ]);
    expect(span?.attributes).toMatchObject({
      "mcp.method.name": "tools/call",
      "mcp.session.id": transport.sessionId,
      "mcp.protocol.version": transport.protocolVersion,
      "network.transport": "tcp",
      "network.protocol.name": "http",
      "client.address": expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/),
    });
  });

  it("sends the current trace context in the _meta of sampling requests", async () => {
    const { url } = await serve("stateful");
    const { client } = await connectClient(url);
    const seen: Record<string, unknown>[] = [];
    client.setRequestHandler(CreateMessageRequestSchema, (request) => {
      seen.push(request.params._meta ?? {});
      return { role: "assistant", model: "m", content: { type: "text", text: "All sunny." } };
    });
    takeSpans();
    const result = await client.callTool({
      name: "summarize",
      arguments: {},
      _meta: { traceparent: TRACEPARENT },
    });
    expect(result.content).toEqual([{ type: "text", text: "All sunny." }]);
    const spans = takeSpans();
    const sampling = spans.find((s) => s.name === "sampling/createMessage");
    const server = spans.find((s) => s.name === "tools/call summarize");
    expect(sampling?.kind).toBe(SpanKind.CLIENT);
    expect(sampling?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(seen).toEqual([
      { traceparent: `00-${CLIENT_TRACE_ID}-${sampling?.spanContext().spanId}-01` },
    ]);
  });

  it("records the session duration when the client ends its session", async () => {
    const { url } = await serve("stateful");
    const { client, transport } = await connectClient(url);
    const version = transport.protocolVersion;
    await takeHistogram("mcp.server.session.duration");
    await transport.terminateSession();
    await client.close();
    const { points } = await takeHistogram("mcp.server.session.duration");
    expect(points.map((p) => [p.attributes, p.count])).toEqual([
      [
        {
          "mcp.protocol.version": version,
          "network.transport": "tcp",
          "network.protocol.name": "http",
        },
        1,
      ],
    ]);
  });
});

describe("telemetry over Streamable HTTP, stateless", () => {
  it("takes the protocol version from the request header, has no session id, parents on the HTTP context", async () => {
    const { url } = await serve("stateless");
    const { client, transport } = await connectClient(url, { traceparent: HTTP_TRACEPARENT });
    takeSpans();
    await client.callTool({ name: "get_weather", arguments: { city: "Rome" } });
    const [span] = takeSpans();
    expect(span?.name).toBe("tools/call get_weather");
    expect(span?.parentSpanContext?.spanId).toBe(HTTP_SPAN_ID);
    expect(span?.spanContext().traceId).toBe(HTTP_TRACE_ID);
    expect(span?.links).toEqual([]);
    expect(span?.attributes["mcp.protocol.version"]).toBe(transport.protocolVersion);
    expect(span?.attributes["mcp.session.id"]).toBeUndefined();
    expect(span?.attributes["network.transport"]).toBe("tcp");
    const { points } = await takeHistogram("mcp.server.operation.duration");
    expect(
      points.find((p) => p.attributes["gen_ai.tool.name"] === "get_weather")?.attributes,
    ).toEqual({
      "mcp.method.name": "tools/call",
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "get_weather",
      "mcp.protocol.version": transport.protocolVersion,
      "network.transport": "tcp",
      "network.protocol.name": "http",
    });
  });

  it("with trace context in both, _meta is the parent and the HTTP context a link", async () => {
    const { url } = await serve("stateless");
    const { client } = await connectClient(url, { traceparent: HTTP_TRACEPARENT });
    takeSpans();
    await client.callTool({
      name: "get_weather",
      arguments: { city: "Rome" },
      _meta: { traceparent: TRACEPARENT },
    });
    const [span] = takeSpans();
    expect(span?.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    expect(span?.links.map((l) => l.context.spanId)).toEqual([HTTP_SPAN_ID]);
  });
});
