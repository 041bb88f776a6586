/**
 * Attribute names of the OpenTelemetry semantic conventions for MCP (and the GenAI, JSON-RPC,
 * RPC, network, client and error registries they borrow from), and what one request records.
 */
import type { Context } from "@mcpforge/core";
import type { Attributes } from "@opentelemetry/api";

export const MCP_METHOD_NAME = "mcp.method.name";
export const MCP_SESSION_ID = "mcp.session.id";
export const MCP_PROTOCOL_VERSION = "mcp.protocol.version";
export const MCP_RESOURCE_URI = "mcp.resource.uri";
export const JSONRPC_REQUEST_ID = "jsonrpc.request.id";
export const GEN_AI_TOOL_NAME = "gen_ai.tool.name";
export const GEN_AI_PROMPT_NAME = "gen_ai.prompt.name";
export const GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
export const GEN_AI_TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments";
export const GEN_AI_TOOL_CALL_RESULT = "gen_ai.tool.call.result";
export const ERROR_TYPE = "error.type";
export const RPC_RESPONSE_STATUS_CODE = "rpc.response.status_code";
export const NETWORK_TRANSPORT = "network.transport";
export const NETWORK_PROTOCOL_NAME = "network.protocol.name";
export const CLIENT_ADDRESS = "client.address";

/** Methods whose `params.uri` is a resource URI (`mcp.resource.uri`). */
const RESOURCE_METHODS = new Set([
  "resources/read",
  "resources/subscribe",
  "resources/unsubscribe",
]);

/** What one request records: its span name and the attributes of its span and its metric. */
export interface RequestFacts {
  /** `{mcp.method.name} {target}`, or the method alone without a low-cardinality target. */
  readonly name: string;
  /** Attributes of the SERVER span (given at its start, so samplers see them). */
  readonly span: Attributes;
  /** Attributes of `mcp.server.operation.duration`: the span's minus the high-cardinality ones. */
  readonly metric: Attributes;
}

function header(headers: Record<string, string | string[] | undefined>, name: string) {
  const value = headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The transport attributes of a session (`network.transport` `pipe` for stdio, `tcp` plus
 * `network.protocol.name` `http` for Streamable HTTP; none for in-memory or custom transports).
 *
 * @example
 * const attributes = transportAttributes("stdio"); // { "network.transport": "pipe" }
 */
export function transportAttributes(transport: string): Attributes {
  if (transport === "stdio") return { [NETWORK_TRANSPORT]: "pipe" };
  if (transport === "http") return { [NETWORK_TRANSPORT]: "tcp", [NETWORK_PROTOCOL_NAME]: "http" };
  return {};
}

/**
 * Describes one request per the conventions. The target of the span name is the resolved
 * tool or prompt (a name the client made up stays out of span names and metrics: it could
 * blow up their cardinality), or the resource URI when `resourceUriTarget` is set.
 *
 * @example
 * const { name, span, metric } = describeRequest(ctx, ctx.http, false);
 */
export function describeRequest(
  ctx: Context,
  http: Context["http"],
  resourceUriTarget: boolean,
): RequestFacts {
  const method = ctx.method;
  const shared: Attributes = { [MCP_METHOD_NAME]: method };
  const span: Attributes = { [JSONRPC_REQUEST_ID]: String(ctx.requestId) };
  const metric: Attributes = {};
  let target: string | undefined;
  const component = ctx.component;
  const requested = ctx.params.name;
  if (method === "tools/call") {
    shared[GEN_AI_OPERATION_NAME] = "execute_tool";
    if (typeof requested === "string") span[GEN_AI_TOOL_NAME] = requested;
    if (component?.type === "tool") target = shared[GEN_AI_TOOL_NAME] = component.name;
  } else if (method === "prompts/get") {
    if (typeof requested === "string") span[GEN_AI_PROMPT_NAME] = requested;
    if (component?.type === "prompt") target = shared[GEN_AI_PROMPT_NAME] = component.name;
  } else if (RESOURCE_METHODS.has(method) && typeof ctx.params.uri === "string") {
    span[MCP_RESOURCE_URI] = ctx.params.uri;
    if (resourceUriTarget) target = metric[MCP_RESOURCE_URI] = ctx.params.uri;
  }
  const session = ctx.session;
  const version =
    session.protocolVersion ?? (http ? header(http.headers, "mcp-protocol-version") : undefined);
  if (version !== undefined) shared[MCP_PROTOCOL_VERSION] = version;
  // A session's protocol version is known once it was initialized: stateless HTTP has none.
  if (session.protocolVersion !== undefined) span[MCP_SESSION_ID] = session.id;
  Object.assign(shared, transportAttributes(http ? "http" : ctx.transport));
  if (http?.remoteAddress) span[CLIENT_ADDRESS] = http.remoteAddress;
  return {
    name: target === undefined ? method : `${method} ${target}`,
    span: Object.assign(span, shared),
    metric: Object.assign(metric, shared),
  };
}
