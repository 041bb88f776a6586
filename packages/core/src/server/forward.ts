import type { Notification } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "../context/context.js";
import type { Session } from "../protocol/session.js";
import type { OutgoingRequestOptions, RequestExtra, ResultSchema } from "../protocol/types.js";
import type { ForwardedCall, OutgoingNotification } from "../registry/types.js";

/** The session and request channel behind a forwarded call. */
interface Channel {
  readonly session: Session;
  readonly extra: RequestExtra;
}

/**
 * A {@link ForwardedCall} made by core. The session and channel sit in private fields (not a
 * WeakMap: one entry per request would load the garbage collector), read by {@link channelOf}.
 */
class CoreCall implements ForwardedCall {
  readonly ctx: Context;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly #session: Session;
  readonly #extra: RequestExtra;

  constructor(ctx: Context, session: Session, extra: RequestExtra) {
    this.ctx = ctx;
    this.method = ctx.method;
    this.params = ctx.params;
    this.#session = session;
    this.#extra = extra;
  }

  async notify(n: OutgoingNotification): Promise<void> {
    if (n.method === "notifications/message") {
      const level = n.params?.level;
      if (typeof level === "string" && !this.#session.wantsLog(level as "debug")) return;
    }
    await this.#extra.sendNotification(n as Notification);
  }

  request<T = unknown>(
    r: { method: string; params?: Record<string, unknown> },
    schema: ResultSchema,
    options: Pick<OutgoingRequestOptions, "timeout" | "signal"> = {},
  ): Promise<T> {
    return this.#extra.sendRequest<T>(r, schema, { signal: this.ctx.signal, ...options });
  }

  /** The session of a call made by core, or undefined for any other object. */
  static sessionOf(call: ForwardedCall): Session | undefined {
    return #session in call ? call.#session : undefined;
  }

  /** The request channel of a call made by core (check {@link CoreCall.sessionOf} first). */
  static extraOf(call: CoreCall): RequestExtra {
    return call.#extra;
  }
}

/**
 * The request services of a forwarded call as another app's dispatch sees them: the caller's
 * channel, with the caller's current `ctx.auth` and `ctx.signal` (which includes signals that
 * middleware linked, such as timeouts). A class, not a spread: spreading would read the lazy
 * `signal` getter of stateless HTTP and make an AbortController for every request.
 */
class ForwardedExtra implements RequestExtra {
  readonly requestId: RequestExtra["requestId"];
  readonly sessionId: RequestExtra["sessionId"];
  readonly _meta: RequestExtra["_meta"];
  readonly authInfo: RequestExtra["authInfo"];
  readonly requestInfo: RequestExtra["requestInfo"];
  readonly closeSSEStream: RequestExtra["closeSSEStream"];
  readonly responseHeaders: RequestExtra["responseHeaders"];
  readonly sendNotification: RequestExtra["sendNotification"];
  readonly sendRequest: RequestExtra["sendRequest"];
  readonly #ctx: Context;

  constructor(extra: RequestExtra, ctx: Context) {
    this.requestId = extra.requestId;
    this.sessionId = extra.sessionId;
    this._meta = extra._meta;
    this.authInfo = ctx.auth;
    this.requestInfo = extra.requestInfo;
    this.closeSSEStream = extra.closeSSEStream;
    this.responseHeaders = extra.responseHeaders;
    this.sendNotification = extra.sendNotification;
    this.sendRequest = extra.sendRequest;
    this.#ctx = ctx;
  }

  get signal(): AbortSignal {
    return this.#ctx.signal;
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    return this.#ctx.onAbort(listener);
  }
}

/**
 * The request services for running a forwarded call in another app (`app.dispatchFor()`).
 *
 * @example
 * app.forward({ type: "tool", entry: { name: "t", inputSchema: { type: "object" } } }, async (call) => {
 *   const { extra } = channelOf(call);
 *   const derived = forwardedExtra(extra, call.ctx); // what dispatchFor() gives the other app
 *   return { content: [{ type: "text", text: String(derived.requestId) }] };
 * });
 */
export function forwardedExtra(extra: RequestExtra, ctx: Context): RequestExtra {
  return new ForwardedExtra(extra, ctx);
}

/**
 * Makes the {@link ForwardedCall} handed to a forwarder: the caller's context, the raw
 * params, and the request's channel to the client.
 *
 * @example
 * import { Session } from "../protocol/session.js";
 * import type { RequestExtra } from "../protocol/types.js";
 * const sent: unknown[] = [];
 * const extra: RequestExtra = {
 *   signal: new AbortController().signal,
 *   requestId: 1,
 *   sessionId: undefined,
 *   _meta: undefined,
 *   authInfo: undefined,
 *   requestInfo: undefined,
 *   closeSSEStream: undefined,
 *   sendNotification: async (n) => void sent.push(n),
 *   sendRequest: () => Promise.reject(new Error("no client here")),
 * };
 * const call = createForwardedCall(ctx, new Session("s1", undefined, "memory"), extra);
 * await call.notify({ method: "notifications/message", params: { level: "info", data: "hi" } });
 * // sent: [{ method: "notifications/message", params: { level: "info", data: "hi" } }]
 */
export function createForwardedCall(
  ctx: Context,
  session: Session,
  extra: RequestExtra,
): ForwardedCall {
  return new CoreCall(ctx, session, extra);
}

/**
 * The session and channel of a call made by {@link createForwardedCall}, for running the
 * request in another app (`app.dispatchFor()`); throws for any other object.
 *
 * @example
 * app.forward({ type: "tool", entry: { name: "t", inputSchema: { type: "object" } } }, async (call) => {
 *   const { session } = channelOf(call); // the caller's session
 *   return { content: [{ type: "text", text: session.id }] };
 * });
 */
export function channelOf(call: ForwardedCall): Channel {
  const session = CoreCall.sessionOf(call);
  if (!session) {
    throw new Error(
      "@mcpforge/core: dispatchFor() takes the call a forwarder received (made by core)",
    );
  }
  return { session, extra: CoreCall.extraOf(call as CoreCall) };
}
