import type { ServerResponse } from "node:http";
import type {
  JSONRPCMessage,
  JSONRPCRequest,
  ServerNotification,
} from "@modelcontextprotocol/sdk/types.js";
import { McpForgeError } from "../errors/errors.js";
import { toJsonRpcError } from "../errors/json-rpc.js";
import type { Session } from "../protocol/session.js";
import type { RequestExtra } from "../protocol/types.js";
import { negotiateVersion } from "../protocol/version.js";
import type { ResolvedListenOptions } from "./options.js";
import { Reply } from "./reply.js";
import type { HttpHost, HttpRequest } from "./types.js";

/** What the stateless path needs from the listener. */
export interface StatelessContext {
  readonly host: HttpHost;
  readonly options: ResolvedListenOptions;
  /** The one session object every stateless request shares (no protocol layer behind it). */
  readonly session: Session;
  /** Answers in progress (for draining at shutdown). */
  readonly inflight: Set<Reply>;
}

function refuseServerRequests(): Promise<never> {
  return Promise.reject(
    new McpForgeError(
      "capability_missing",
      "Server-to-client requests (sampling, elicitation, roots) need a stateful session",
    ),
  );
}

/**
 * Answers one POSTed message of a stateless client: no session, no SDK objects, one answer
 * per request on its own response (JSON, or SSE when notifications stream first).
 *
 * @example
 * await statelessPost(context, req, res, message);
 */
export async function statelessPost(
  c: StatelessContext,
  req: HttpRequest,
  res: ServerResponse,
  message: JSONRPCMessage,
): Promise<void> {
  if (!("method" in message) || !("id" in message)) {
    res.writeHead(202).end();
    return;
  }
  const request = message as JSONRPCRequest;
  const responseHeaders: Record<string, string> = {};
  const reply: Reply = new Reply(res, request.id, {
    mode: c.options.responseMode,
    headers: responseHeaders,
    events: undefined,
    prime: false,
    retryMs: c.options.retryMs,
    keepAliveMs: c.options.keepAliveMs,
    onDone: () => c.inflight.delete(reply),
  });
  c.inflight.add(reply);
  // The abort signal is made on first use: most handlers never look at it.
  let controller: AbortController | undefined;
  let gone = false;
  res.once("close", () => {
    if (reply.done) return;
    gone = true;
    controller?.abort();
  });
  const extra: RequestExtra = {
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (gone) controller.abort();
      }
      return controller.signal;
    },
    requestId: request.id,
    sessionId: undefined,
    _meta: request.params?._meta,
    authInfo: req.auth,
    requestInfo: { headers: req.headers, remoteAddress: req.socket.remoteAddress },
    closeSSEStream: undefined,
    responseHeaders,
    sendNotification: (n) =>
      reply.send({ jsonrpc: "2.0", ...(n as ServerNotification) } as JSONRPCMessage),
    sendRequest: refuseServerRequests,
  };
  let answer: JSONRPCMessage;
  try {
    const result =
      request.method === "initialize"
        ? c.host.initializeResult(negotiateVersion(request.params?.protocolVersion))
        : request.method === "ping"
          ? {}
          : await c.host.dispatch(c.session, request, extra);
    answer = { jsonrpc: "2.0", id: request.id, result: result as Record<string, unknown> };
  } catch (err) {
    answer = { jsonrpc: "2.0", id: request.id, error: toJsonRpcError(err) };
  }
  await reply.send(answer);
}
