import type { Notification } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "../context/context.js";
import type { Session } from "../protocol/session.js";
import type { RequestExtra } from "../protocol/types.js";
import type { ForwardedCall } from "../registry/types.js";

/** The session and request channel behind a forwarded call. */
interface Channel {
  readonly session: Session;
  readonly extra: RequestExtra;
}

const channels = new WeakMap<ForwardedCall, Channel>();

/**
 * Makes the {@link ForwardedCall} handed to a forwarder: the caller's context, the raw
 * params, and the request's channel to the client.
 *
 * @example
 * const call = createForwardedCall(ctx, session, extra);
 * return def.forward(call);
 */
export function createForwardedCall(
  ctx: Context,
  session: Session,
  extra: RequestExtra,
): ForwardedCall {
  const call: ForwardedCall = {
    ctx,
    method: ctx.method,
    params: ctx.params,
    notify: async (n) => {
      if (n.method === "notifications/message") {
        const level = n.params?.level;
        if (typeof level === "string" && !session.wantsLog(level as "debug")) return;
      }
      await extra.sendNotification(n as Notification);
    },
    request: (r, schema, options = {}) =>
      extra.sendRequest(r, schema, { signal: ctx.signal, ...options }),
  };
  channels.set(call, { session, extra });
  return call;
}

/**
 * The session and channel of a call made by {@link createForwardedCall}, for running the
 * request in another app (`app.dispatchFor()`); throws for any other object.
 *
 * @example
 * const { session, extra } = channelOf(call);
 */
export function channelOf(call: ForwardedCall): Channel {
  const channel = channels.get(call);
  if (!channel) {
    throw new Error(
      "@mcpforge/core: dispatchFor() takes the call a forwarder received (made by core)",
    );
  }
  return channel;
}
