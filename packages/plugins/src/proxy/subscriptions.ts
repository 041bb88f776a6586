import type { ForwardedCall } from "@mcpforge/core/authoring";
import { type Client, EmptyResultSchema } from "@mcpforge/core/client";

/** Sends `resources/subscribe` or `resources/unsubscribe` for one URI to the backend. */
export type SubscriptionSender = (
  call: ForwardedCall,
  method: "resources/subscribe" | "resources/unsubscribe",
  uri: string,
) => Promise<unknown>;

/**
 * The backend subscriptions of a proxy: one backend subscription per URI, however many
 * client sessions subscribed to it through the proxy, dropped when the last one
 * unsubscribes and renewed after a reconnection. A backend that does not offer
 * subscriptions is not asked (the proxy's clients still subscribe: they get updates the
 * backend sends anyway).
 *
 * @example
 * const subs = new ProxySubscriptions(async () => ({}));
 * // in a forwarder: await subs.change(call, true);
 * subs.uris(); // the URIs subscribed at the backend
 */
export class ProxySubscriptions {
  readonly #send: SubscriptionSender;
  /** URI → the ids of the sessions subscribed to it through the proxy. */
  readonly #sessions = new Map<string, Set<string>>();

  constructor(send: SubscriptionSender) {
    this.#send = send;
  }

  /** Records a session's (un)subscription, passing the first / last one to the backend. */
  async change(
    call: ForwardedCall,
    on: boolean,
    supported: boolean,
  ): Promise<Record<string, never>> {
    const uri = String(call.params.uri);
    const session = call.ctx.session.id;
    const sessions = this.#sessions.get(uri);
    if (on) {
      if (sessions) {
        sessions.add(session);
        return {};
      }
      if (supported) await this.#send(call, "resources/subscribe", uri);
      this.#sessions.set(uri, new Set([session]));
      return {};
    }
    if (!sessions?.delete(session) || sessions.size > 0) return {};
    this.#sessions.delete(uri);
    if (supported) await this.#send(call, "resources/unsubscribe", uri).catch(() => {});
    return {};
  }

  /** The URIs subscribed at the backend. */
  uris(): string[] {
    return [...this.#sessions.keys()];
  }

  /** Subscribes a new backend connection to every URI subscribed through the proxy. */
  async renew(client: Client): Promise<void> {
    if (!client.getServerCapabilities()?.resources?.subscribe) return;
    await Promise.all(
      this.uris().map((uri) =>
        client
          .request({ method: "resources/subscribe", params: { uri } }, EmptyResultSchema)
          .catch(() => {}),
      ),
    );
  }
}
