import type { ServerResponse } from "node:http";
import type {
  JSONRPCMessage,
  JSONRPCRequest,
  RequestId,
  ServerNotification,
} from "@modelcontextprotocol/sdk/types.js";
import { McpForgeError } from "../errors/errors.js";
import { toJsonRpcError } from "../errors/json-rpc.js";
import { LazyExtra } from "../protocol/lazy-extra.js";
import type { Session } from "../protocol/session.js";
import type { RequestExtra } from "../protocol/types.js";
import { negotiateVersion } from "../protocol/version.js";
import { LazyAbort } from "../utils/lazy-abort.js";
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
 * Answers the requests of one POST from a stateless client: no session, no SDK objects, one
 * answer channel per POST (JSON, or SSE when notifications stream first). A single request
 * gets one response; a batch (protocol 2025-03-26) an array, with `answered` (the errors of
 * invalid elements) included.
 *
 * @example
 * import { createStderrLogger } from "../internal/logger.js";
 * import { Session } from "../protocol/session.js";
 * import { resolveListenOptions } from "./options.js";
 * import type { HttpHost } from "./types.js";
 * const host: HttpHost = {
 *   logger: createStderrLogger("sessions"),
 *   authenticated: false,
 *   httpHooks: [],
 *   routeFor: () => undefined,
 *   connect: async (transport, { transportName }) =>
 *     new Session(transport.sessionId ?? "", undefined, transportName),
 *   dispatch: async () => ({ tools: [] }),
 *   initializeResult: (protocolVersion) => ({ protocolVersion }),
 * };
 * const context: StatelessContext = {
 *   host,
 *   options: resolveListenOptions({ mode: "stateless" }),
 *   session: new Session("stateless", undefined, "http"),
 *   inflight: new Set(),
 * };
 * await statelessAnswer(context, req, res, [{ jsonrpc: "2.0", id: 1, method: "tools/list" }]);
 * // res: 200 application/json {"jsonrpc":"2.0","id":1,"result":{"tools":[]}}
 */
export async function statelessAnswer(
  c: StatelessContext,
  req: HttpRequest,
  res: ServerResponse,
  requests: readonly JSONRPCRequest[],
  batch?: { answered: readonly JSONRPCMessage[] },
): Promise<void> {
  const responseHeaders: Record<string, string> = {};
  const ids: RequestId | RequestId[] = batch
    ? requests.map((r) => r.id)
    : (requests[0] as JSONRPCRequest).id;
  const reply: Reply = new Reply(res, ids, {
    mode: c.options.responseMode,
    headers: responseHeaders,
    events: undefined,
    prime: false,
    retryMs: c.options.retryMs,
    keepAliveMs: c.options.keepAliveMs,
    onDone: () => c.inflight.delete(reply),
    answered: batch?.answered,
  });
  c.inflight.add(reply);
  // The abort signal, and the watch for the client going away, are made on first use: most
  // handlers never look at it.
  const abort = new ClientGoneAbort(res, reply);
  const sendNotification = (n: unknown) =>
    reply.send({ jsonrpc: "2.0", ...(n as ServerNotification) } as JSONRPCMessage);
  const one: OneRequest = { c, req, reply, abort, responseHeaders, sendNotification };
  // one request (the common case): no array of promises to wait for
  if (requests.length === 1) return answerOne(one, requests[0] as JSONRPCRequest);
  await Promise.all(requests.map((request) => answerOne(one, request)));
}

/**
 * A stateless request's abort: fires when the client goes away before its answer is done. It
 * starts watching the response only when the signal is first asked for; a signal asked for
 * later starts aborted when the client was already gone by then (or the answer found it gone).
 */
class ClientGoneAbort extends LazyAbort {
  readonly #res: ServerResponse;
  readonly #reply: Reply;
  #watching = false;

  constructor(res: ServerResponse, reply: Reply) {
    super();
    this.#res = res;
    this.#reply = reply;
  }

  override get signal(): AbortSignal {
    if (!this.#watching) {
      this.#watching = true;
      const reply = this.#reply;
      if (reply.done ? reply.lostClient : this.#res.destroyed) this.abort();
      else if (!reply.done) {
        this.#res.once("close", () => {
          if (!reply.done) this.abort();
        });
      }
    }
    return super.signal;
  }
}

/** What answering each request of one stateless POST shares. */
interface OneRequest {
  c: StatelessContext;
  req: HttpRequest;
  reply: Reply;
  abort: LazyAbort;
  responseHeaders: Record<string, string>;
  sendNotification: (n: unknown) => Promise<void>;
}

async function answerOne(o: OneRequest, request: JSONRPCRequest): Promise<void> {
  const { c, req } = o;
  const extra: RequestExtra = new LazyExtra(o.abort, {
    requestId: request.id,
    sessionId: undefined,
    _meta: request.params?._meta,
    authInfo: req.auth,
    requestInfo: { headers: req.headers, remoteAddress: req.socket.remoteAddress },
    closeSSEStream: undefined,
    responseHeaders: o.responseHeaders,
    sendNotification: o.sendNotification,
    sendRequest: refuseServerRequests,
  });
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
  await o.reply.send(answer);
}
