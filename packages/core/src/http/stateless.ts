import type { ServerResponse } from "node:http";
import type {
  JSONRPCMessage,
  JSONRPCRequest,
  RequestId,
  ServerNotification,
} from "@modelcontextprotocol/sdk/types.js";
import { McpForgeError } from "../errors/errors.js";
import { toJsonRpcError } from "../errors/json-rpc.js";
import { AbortableExtra } from "../protocol/abortable-extra.js";
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
    inflight: c.inflight,
    answered: batch?.answered,
  });
  c.inflight.add(reply);
  // The abort signal, and the watch for the client going away, are made on first use: most
  // handlers never look at it.
  const abort = new ClientGoneAbort(res, reply);
  // one request (the common case): no array of promises to wait for
  if (requests.length === 1) {
    await answerOne(c, req, reply, abort, responseHeaders, requests[0] as JSONRPCRequest);
    return;
  }
  await Promise.all(
    requests.map((request) => answerOne(c, req, reply, abort, responseHeaders, request)),
  );
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
    this.#watch();
    return super.signal;
  }

  override onAbort(listener: (reason: unknown) => void): () => void {
    this.#watch();
    return super.onAbort(listener);
  }

  #watch(): void {
    if (this.#watching) return;
    this.#watching = true;
    const reply = this.#reply;
    if (reply.done ? reply.lostClient : this.#res.destroyed) this.abort();
    else if (!reply.done) {
      this.#res.once("close", () => {
        if (!reply.done) this.abort();
      });
    }
  }
}

/**
 * The {@link RequestExtra} of one stateless request: no session, notifications go on the POST's
 * answer, server-to-client requests are refused. Its signal and `sendNotification` are made on
 * first read (most handlers use neither).
 */
class StatelessExtra extends AbortableExtra implements RequestExtra {
  readonly #reply: Reply;
  #notify: RequestExtra["sendNotification"] | undefined;
  readonly requestId: RequestId;
  readonly sessionId = undefined;
  readonly _meta: Record<string, unknown> | undefined;
  readonly authInfo: RequestExtra["authInfo"];
  readonly requestInfo: RequestExtra["requestInfo"];
  readonly closeSSEStream = undefined;
  readonly responseHeaders: Record<string, string>;
  readonly sendRequest: RequestExtra["sendRequest"] = refuseServerRequests;

  constructor(
    req: HttpRequest,
    request: JSONRPCRequest,
    reply: Reply,
    abort: LazyAbort,
    responseHeaders: Record<string, string>,
  ) {
    super(abort);
    this.#reply = reply;
    this.requestId = request.id;
    this._meta = request.params?._meta;
    this.authInfo = req.auth;
    this.requestInfo = { headers: req.headers, remoteAddress: req.socket.remoteAddress };
    this.responseHeaders = responseHeaders;
  }

  get sendNotification(): RequestExtra["sendNotification"] {
    const reply = this.#reply;
    this.#notify ??= (n) =>
      reply.send({ jsonrpc: "2.0", ...(n as ServerNotification) } as JSONRPCMessage);
    return this.#notify;
  }
}

async function answerOne(
  c: StatelessContext,
  req: HttpRequest,
  reply: Reply,
  abort: LazyAbort,
  responseHeaders: Record<string, string>,
  request: JSONRPCRequest,
): Promise<void> {
  const extra: RequestExtra = new StatelessExtra(req, request, reply, abort, responseHeaders);
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
