/**
 * Trace context in MCP `params._meta` (SEP-414): the W3C `traceparent` and `tracestate` and
 * the W3C `baggage`, as top-level keys, read and written through the globally registered
 * OpenTelemetry propagator (the SDKs register W3C trace context and baggage by default).
 */
import {
  type Context,
  context,
  isSpanContextValid,
  type Link,
  propagation,
  type TextMapGetter,
  trace,
} from "@opentelemetry/api";

/** The `_meta` keys SEP-414 reserves for trace context; nothing else is read or written. */
export const TRACE_META_KEYS = ["traceparent", "tracestate", "baggage"] as const;

type Meta = Record<string, unknown>;

const metaGetter: TextMapGetter<Meta> = {
  keys: (meta) => TRACE_META_KEYS.filter((key) => typeof meta[key] === "string"),
  get: (meta, key) => {
    const value = (TRACE_META_KEYS as readonly string[]).includes(key) ? meta[key] : undefined;
    return typeof value === "string" ? value : undefined;
  },
};

function isMeta(value: unknown): value is Meta {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasTraceMeta(meta: unknown): meta is Meta {
  return isMeta(meta) && ("traceparent" in meta || "tracestate" in meta || "baggage" in meta);
}

/**
 * The context carried in a request's `_meta` (its `traceparent`, `tracestate` and `baggage`)
 * on top of `base` (default: the active context); `base` itself when `_meta` carries none.
 *
 * @example
 * import { trace } from "@opentelemetry/api";
 * const parent = extractTraceContext({
 *   traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
 * });
 * trace.getTracer("worker").startSpan("job", {}, parent).end(); // a child of that span
 */
export function extractTraceContext(meta: unknown, base: Context = context.active()): Context {
  return hasTraceMeta(meta) ? propagation.extract(base, meta, metaGetter) : base;
}

/**
 * `meta` plus the trace context of `ctx` (default: the active context) under the SEP-414
 * keys, for a request this server sends (to its client, or a proxy's backend). Returns `meta`
 * itself when there is nothing to add (no SDK registered, or no span).
 *
 * @example
 * const _meta = injectTraceMeta({ progressToken: 1 }); // plus the active span's traceparent…
 */
export function injectTraceMeta(
  meta: Meta | undefined,
  ctx: Context = context.active(),
): Meta | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  let out: Meta | undefined;
  for (const key of TRACE_META_KEYS) {
    const value = carrier[key];
    if (value === undefined) continue;
    out ??= { ...meta };
    out[key] = value;
  }
  return out ?? meta;
}

/** A request's parent context and the links of its SERVER span. */
export interface Parent {
  readonly context: Context;
  readonly links: Link[] | undefined;
}

/**
 * The parent of a request's SERVER span, per the conventions: the context in `params._meta`
 * when it has one, with the transport's context (the active span, e.g. an instrumented HTTP
 * server's, or else the HTTP request's own `traceparent` header) linked; otherwise the
 * transport's context itself.
 *
 * @example
 * const { context: parent, links } = requestParent(ctx.params._meta, ctx.http?.headers);
 */
export function requestParent(
  meta: unknown,
  headers: Record<string, string | string[] | undefined> | undefined,
): Parent {
  let transport = context.active();
  if (headers?.traceparent !== undefined && trace.getSpanContext(transport) === undefined) {
    transport = propagation.extract(transport, headers);
  }
  if (!hasTraceMeta(meta)) return { context: transport, links: undefined };
  const parent = propagation.extract(transport, meta, metaGetter);
  const linked = trace.getSpanContext(transport);
  const own = trace.getSpanContext(parent);
  if (!linked || !isSpanContextValid(linked)) return { context: parent, links: undefined };
  const same = linked.spanId === own?.spanId && linked.traceId === own?.traceId;
  return { context: parent, links: same ? undefined : [{ context: linked }] };
}
