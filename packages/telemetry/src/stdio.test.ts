import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  CreateMessageRequestSchema,
  LATEST_PROTOCOL_VERSION,
} from "@modelcontextprotocol/sdk/types.js";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";
/** What the SDK client asks for in initialize, and core supports. */
const protocolVersion = LATEST_PROTOCOL_VERSION;

interface Line {
  type: "span" | "histogram";
  name: string;
  kind?: number;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  status?: { code: number; message?: string };
  count?: number;
}

describe("telemetry over stdio (a real child process with a real SDK)", () => {
  let dir: string;
  let lines: Line[] = [];
  let sessionId: string | undefined;
  let sampledMeta: Record<string, unknown> | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mcpforge-telemetry-"));
    const file = join(dir, "telemetry.jsonl");
    const client = new Client(
      { name: "stdio-test", version: "0.0.0" },
      { capabilities: { sampling: {} } },
    );
    client.setRequestHandler(CreateMessageRequestSchema, (request) => {
      sampledMeta = request.params._meta;
      return { role: "assistant", model: "m", content: { type: "text", text: "Sunny." } };
    });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--conditions=@mcpforge/source", "--import", "tsx", "src/test-utils/stdio-server.ts"],
      cwd: packageDir,
      env: { ...process.env, TELEMETRY_OUT: file } as Record<string, string>,
      stderr: "pipe",
    });
    await client.connect(transport);
    const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`;
    await client.callTool({
      name: "get_weather",
      arguments: { city: "Oslo" },
      _meta: { traceparent },
    });
    await client.callTool({ name: "broken", arguments: {}, _meta: { traceparent } });
    await client.callTool({ name: "summarize", arguments: {}, _meta: { traceparent } });
    const exited = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
    });
    await client.close();
    await exited;
    // the server flushes its metrics while it shuts down; wait until its last line is there
    const deadline = Date.now() + 10_000;
    for (;;) {
      const text = await readFile(file, "utf8").catch(() => "");
      lines = text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line);
      if (lines.some((l) => l.name === "mcp.server.session.duration") || Date.now() > deadline)
        break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    sessionId = lines.find((l) => l.type === "span")?.attributes["mcp.session.id"] as string;
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  const span = (name: string) => lines.find((l) => l.type === "span" && l.name === name);

  it("exports a SERVER span per call, parented on the traceparent in _meta, with network.transport pipe", () => {
    const call = span("tools/call get_weather");
    expect(call).toMatchObject({
      kind: SpanKind.SERVER,
      traceId: TRACE_ID,
      parentSpanId: PARENT_ID,
      status: { code: SpanStatusCode.UNSET },
    });
    expect(call?.attributes).toEqual({
      "mcp.method.name": "tools/call",
      "gen_ai.tool.name": "get_weather",
      "gen_ai.operation.name": "execute_tool",
      "jsonrpc.request.id": expect.stringMatching(/^\d+$/),
      "mcp.session.id": expect.any(String),
      "mcp.protocol.version": protocolVersion,
      "network.transport": "pipe",
    });
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("marks a throwing tool with error.type tool_error and status ERROR", () => {
    expect(span("tools/call broken")).toMatchObject({
      attributes: { "error.type": "tool_error" },
      status: { code: SpanStatusCode.ERROR },
    });
  });

  it("sends the sampling request with its CLIENT span's context in _meta", () => {
    const sampling = span("sampling/createMessage");
    expect(sampling).toMatchObject({ kind: SpanKind.CLIENT, traceId: TRACE_ID });
    expect(sampling?.parentSpanId).toBe(span("tools/call summarize")?.spanId);
    expect(sampledMeta).toEqual({ traceparent: `00-${TRACE_ID}-${sampling?.spanId}-01` });
  });

  it("records the operation and session durations", () => {
    const histograms = lines.filter((l) => l.type === "histogram");
    expect(
      histograms.find(
        (h) =>
          h.name === "mcp.server.operation.duration" &&
          h.attributes["gen_ai.tool.name"] === "get_weather",
      ),
    ).toMatchObject({ count: 1, attributes: { "network.transport": "pipe" } });
    expect(histograms.filter((h) => h.name === "mcp.server.session.duration")).toEqual([
      {
        type: "histogram",
        name: "mcp.server.session.duration",
        attributes: { "network.transport": "pipe", "mcp.protocol.version": protocolVersion },
        count: 1,
      },
    ]);
  });
});
