import type { OutgoingWrapper } from "@mcpforge/core";
import { isMcpForgeError } from "@mcpforge/core";
import {
  type Attributes,
  type Context,
  context,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { injectTraceMeta } from "../propagation.js";
import {
  ERROR_TYPE,
  MCP_METHOD_NAME,
  MCP_PROTOCOL_VERSION,
  MCP_SESSION_ID,
  NETWORK_PROTOCOL_NAME,
  NETWORK_TRANSPORT,
  RPC_RESPONSE_STATUS_CODE,
} from "./attributes.js";

/** What a CLIENT span shares with the SERVER span of the request that sends it. */
const SESSION_KEYS = [
  MCP_SESSION_ID,
  MCP_PROTOCOL_VERSION,
  NETWORK_TRANSPORT,
  NETWORK_PROTOCOL_NAME,
];

/**
 * Traces the requests a request sends on its behalf (sampling, elicitation, roots; a proxy's
 * calls to its backend through `ctx.outgoing()`): one CLIENT span per request, a child of the
 * request's SERVER span, whose context travels in the request's `params._meta`.
 *
 * @example
 * import { context, trace } from "@opentelemetry/api";
 * const tracer = trace.getTracer("mcp");
 * ctx.wrapOutgoing(traceOutgoing(tracer, context.active(), { "mcp.session.id": ctx.session.id }));
 */
export function traceOutgoing(
  tracer: Tracer,
  parent: Context,
  requestAttributes: Attributes,
): OutgoingWrapper {
  return async (request, send) => {
    const attributes: Attributes = { [MCP_METHOD_NAME]: request.method };
    for (const key of SESSION_KEYS) {
      if (requestAttributes[key] !== undefined) attributes[key] = requestAttributes[key];
    }
    const span = tracer.startSpan(request.method, { kind: SpanKind.CLIENT, attributes }, parent);
    const active = trace.setSpan(parent, span);
    const meta = request.params?._meta as Record<string, unknown> | undefined;
    const withMeta = injectTraceMeta(meta, active);
    const next =
      withMeta === meta ? request : { ...request, params: { ...request.params, _meta: withMeta } };
    try {
      return await context.with(active, send, undefined, next);
    } catch (err) {
      const code = isMcpForgeError(err) ? String(err.code) : "_OTHER";
      span.setAttribute(ERROR_TYPE, code);
      if (code !== "_OTHER") span.setAttribute(RPC_RESPONSE_STATUS_CODE, code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
      throw err;
    } finally {
      span.end();
    }
  };
}
