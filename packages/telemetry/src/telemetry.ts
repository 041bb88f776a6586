import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import type { Context as McpContext, MiddlewareHooks, NotificationInfo } from "@mcpforge/core";
import { createOptionChecks } from "@mcpforge/core/authoring";
import {
  type Attributes,
  context,
  INVALID_SPAN_CONTEXT,
  type Meter,
  type Context as OtelContext,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import {
  describeRequest,
  ERROR_TYPE,
  GEN_AI_TOOL_CALL_ARGUMENTS,
  GEN_AI_TOOL_CALL_RESULT,
  MCP_METHOD_NAME,
  MCP_PROTOCOL_VERSION,
  MCP_SESSION_ID,
  RPC_RESPONSE_STATUS_CODE,
  transportAttributes,
} from "./internal/attributes.js";
import { captureJson } from "./internal/capture.js";
import { createInstruments } from "./internal/instruments.js";
import { noPropagator, noTracerProvider } from "./internal/noop.js";
import { type Failure, resultFailure, thrownFailure, unlessCancelled } from "./internal/outcome.js";
import { traceOutgoing } from "./internal/outgoing.js";
import { extractTraceContext, requestParent } from "./propagation.js";

/** The instrumentation scope: the tracer's and meter's name. */
export const INSTRUMENTATION_NAME = "@mcpforge/telemetry";
const VERSION = (createRequire(import.meta.url)("../package.json") as { version?: string }).version;

/** The `ctx.var` fields {@link telemetry} adds. */
export type TelemetryVars = {
  /** The request's SERVER span (a non-recording span when no SDK is registered). */
  span: Span;
  /** The OpenTelemetry context with that span active: the parent for spans a handler starts. */
  traceContext: OtelContext;
};

/** Options of {@link telemetry}. */
export interface TelemetryOptions {
  /** The tracer spans are made with (default: the global provider's `@mcpforge/telemetry` tracer). */
  tracer?: Tracer;
  /** The meter the histograms are made with (default: the global provider's, looked up when it changes). */
  meter?: Meter;
  /**
   * Records tool-call arguments as `gen_ai.tool.call.arguments` (JSON, cut at
   * `maxCapturedLength`). Off by default: arguments may hold personal data.
   */
  captureArguments?: boolean;
  /**
   * Records successful tool results as `gen_ai.tool.call.result` (the structured content, or
   * else the content blocks; JSON cut at `maxCapturedLength`). Off by default, like arguments.
   */
  captureResults?: boolean;
  /** Characters kept of a captured argument or result (default 1024). */
  maxCapturedLength?: number;
  /**
   * Puts the resource URI in span names (`resources/read file:///a.txt`) and on
   * `mcp.server.operation.duration` — opt-in in the conventions, as URIs have high
   * cardinality. Spans always carry `mcp.resource.uri`.
   */
  resourceUriAsTarget?: boolean;
}

const check = createOptionChecks("@mcpforge/telemetry");

/** `ctx.var.span` while OpenTelemetry is off: records nothing, like the API's own no-op spans. */
const NON_RECORDING_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

function checkBoolean(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") {
    throw check.error("telemetry", `${name} must be a boolean`);
  }
}

function setFailure(span: Span, attributes: Attributes, failure: Failure): void {
  attributes[ERROR_TYPE] = failure.errorType;
  span.setAttribute(ERROR_TYPE, failure.errorType);
  if (failure.statusCode !== undefined) {
    attributes[RPC_RESPONSE_STATUS_CODE] = failure.statusCode;
    span.setAttribute(RPC_RESPONSE_STATUS_CODE, failure.statusCode);
  }
  const status = { code: SpanStatusCode.ERROR } as { code: SpanStatusCode; message?: string };
  if (failure.message !== undefined) status.message = failure.message;
  span.setStatus(status);
}

/** What the content of a tool result is, for `gen_ai.tool.call.result`. */
function toolOutput(result: unknown): unknown {
  const r = result as { structuredContent?: unknown; content?: unknown } | null;
  return r?.structuredContent ?? r?.content;
}

/**
 * OpenTelemetry traces and metrics per the semantic conventions for MCP: one SERVER span per
 * request (`tools/call get_weather`) and per client notification, whose parent is the trace
 * context in `params._meta` (SEP-414) with the HTTP request's own context linked; handlers run
 * with that span active (`trace.getActiveSpan()`, `ctx.var.span`, `ctx.var.traceContext`);
 * server-to-client requests get a CLIENT span whose context travels in their `_meta`; and the
 * `mcp.server.operation.duration` and `mcp.server.session.duration` histograms. Uses only
 * `@opentelemetry/api`: without a registered SDK it records nothing and costs little.
 *
 * @param options.tracer - the tracer (default: the global provider's)
 * @param options.meter - the meter (default: the global provider's)
 * @param options.captureArguments - record tool arguments (default false)
 * @param options.captureResults - record tool results (default false)
 * @param options.maxCapturedLength - characters kept of a captured value (default 1024)
 * @param options.resourceUriAsTarget - resource URIs in span names and metrics (default false)
 * @example
 * import { trace } from "@opentelemetry/api";
 * app.use(telemetry()); // first, so its span covers the other middleware too
 * app.tool("search", { description: "Search", input: { q: z.string() } }, async ({ q }) => {
 *   trace.getActiveSpan()?.addEvent("searching", { q }); // the tools/call span
 *   return `results for ${q}`;
 * });
 */
export function telemetry(options?: TelemetryOptions): MiddlewareHooks<TelemetryVars> {
  const opts = check.object("telemetry", options);
  check.methods("telemetry", "tracer", opts.tracer, ["startSpan"]);
  check.methods("telemetry", "meter", opts.meter, ["createHistogram"]);
  checkBoolean("captureArguments", opts.captureArguments);
  checkBoolean("captureResults", opts.captureResults);
  checkBoolean("resourceUriAsTarget", opts.resourceUriAsTarget);
  check.positiveInteger("telemetry", "maxCapturedLength", opts.maxCapturedLength);
  const tracer = opts.tracer ?? trace.getTracer(INSTRUMENTATION_NAME, VERSION);
  const instruments = createInstruments(opts.meter, INSTRUMENTATION_NAME, VERSION);
  const maxLength = opts.maxCapturedLength ?? 1024;
  const captureArguments = opts.captureArguments === true;
  const captureResults = opts.captureResults === true;
  const uriTarget = opts.resourceUriAsTarget === true;

  /** OpenTelemetry is off (the API alone): nothing would be recorded or propagated. */
  const off = () =>
    !opts.tracer && noTracerProvider() && !instruments.recording() && noPropagator();

  function onRequest(ctx: McpContext<TelemetryVars>, next: () => Promise<unknown>) {
    if (off()) {
      ctx.var.span = NON_RECORDING_SPAN;
      ctx.var.traceContext = context.active();
      return next();
    }
    return traced(ctx, next);
  }

  async function traced(ctx: McpContext<TelemetryVars>, next: () => Promise<unknown>) {
    const started = performance.now();
    const http = ctx.http;
    const facts = describeRequest(ctx, http, uriTarget);
    const parent = requestParent(ctx.params._meta, http?.headers);
    const spanOptions = { kind: SpanKind.SERVER, attributes: facts.span } as {
      kind: SpanKind;
      attributes: Attributes;
      links?: typeof parent.links;
    };
    if (parent.links) spanOptions.links = parent.links;
    const span = tracer.startSpan(facts.name, spanOptions, parent.context);
    const active = trace.setSpan(parent.context, span);
    ctx.var.span = span;
    ctx.var.traceContext = active;
    ctx.wrapOutgoing(traceOutgoing(tracer, active, facts.span));
    const isToolCall = ctx.method === "tools/call";
    if (captureArguments && isToolCall && span.isRecording()) {
      span.setAttribute(
        GEN_AI_TOOL_CALL_ARGUMENTS,
        captureJson(ctx.params.arguments ?? {}, maxLength),
      );
    }
    let failure: Failure | undefined;
    try {
      const result = await context.with(active, next);
      failure = resultFailure(result);
      if (captureResults && isToolCall && !failure && span.isRecording()) {
        span.setAttribute(GEN_AI_TOOL_CALL_RESULT, captureJson(toolOutput(result), maxLength));
      }
      return result;
    } catch (err) {
      failure = thrownFailure(ctx, err);
      span.recordException(err instanceof Error ? err : String(err));
      throw err;
    } finally {
      const metric = facts.metric;
      if (failure) setFailure(span, metric, unlessCancelled(ctx, failure));
      span.end();
      instruments.operation((performance.now() - started) / 1000, metric);
    }
  }

  async function onNotification(info: NotificationInfo, next: () => Promise<void>) {
    if (off()) return next();
    const started = performance.now();
    const attributes: Attributes = { [MCP_METHOD_NAME]: info.method };
    const parent = extractTraceContext(info.params._meta);
    const span = tracer.startSpan(
      info.method,
      { kind: SpanKind.SERVER, attributes: { ...attributes, [MCP_SESSION_ID]: info.sessionId } },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (err) {
      setFailure(span, attributes, {
        errorType: "_OTHER",
        statusCode: undefined,
        message: undefined,
      });
      span.recordException(err instanceof Error ? err : String(err));
      throw err;
    } finally {
      span.end();
      instruments.operation((performance.now() - started) / 1000, attributes);
    }
  }

  return {
    name: "telemetry",
    onRequest,
    onNotification,
    setup(api) {
      api.onSessionClose((session, durationMs) => {
        const attributes = transportAttributes(session.transport);
        if (session.protocolVersion !== undefined) {
          attributes[MCP_PROTOCOL_VERSION] = session.protocolVersion;
        }
        instruments.session(durationMs / 1000, attributes);
      });
    },
  };
}
