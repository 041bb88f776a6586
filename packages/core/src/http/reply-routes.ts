import type { TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";
import { LazyMap } from "../utils/lazy-map.js";
import type { Reply } from "./reply.js";

/**
 * A session transport's open POST answers by request id, and the routing every session
 * transport shares: a response takes its request's answer, a related message goes to the answer
 * of the request it belongs to, a cancelled request's answer ends, and a closing session
 * abandons what is still open. One answer at a time, usually: kept without a hash table.
 * {@link HttpSessionTransport} and the Redis cluster's transport extend it.
 *
 * @example
 * import type { Reply } from "./reply.js";
 * declare const reply: Reply;
 * class Routes extends ReplyRoutes {}
 * const routes = new Routes();
 * routes.setReply(1, reply);
 * routes.relatedReply({ relatedRequestId: 1 }); // reply: a progress notification goes there
 * routes.takeReply(1); // reply, no longer routed to: its response is on the way
 * routes.hasReply(1); // false
 */
export abstract class ReplyRoutes {
  readonly #replies = new LazyMap<RequestId, Reply>();

  /** Answers in flight. */
  get replyCount(): number {
    return this.#replies.size;
  }

  /** The open answer of request `id`. */
  reply(id: RequestId): Reply | undefined {
    return this.#replies.get(id);
  }

  /** Whether request `id` is in flight. */
  hasReply(id: RequestId): boolean {
    return this.#replies.has(id);
  }

  /** Routes request `id`'s messages to `reply`. */
  setReply(id: RequestId, reply: Reply): void {
    this.#replies.set(id, reply);
  }

  /** Stops routing request `id` (only to `reply` when given). */
  deleteReply(id: RequestId, reply?: Reply): void {
    if (reply !== undefined && this.#replies.get(id) !== reply) return;
    this.#replies.delete(id);
  }

  /** The open answer of request `id`, no longer routed to (its last message is on the way). */
  takeReply(id: RequestId): Reply | undefined {
    const reply = this.#replies.get(id);
    if (reply !== undefined) this.#replies.delete(id);
    return reply;
  }

  /** The open answer of the request a message relates to (`relatedRequestId`), if any. */
  relatedReply(options?: TransportSendOptions): Reply | undefined {
    const related = options?.relatedRequestId;
    return related === undefined ? undefined : this.#replies.get(related);
  }

  /** The client cancelled a request: end its answer stream (no response will follow). */
  requestCancelled(id: RequestId): void {
    void this.takeReply(id)?.cancel(id);
  }

  /** The session closes: every open answer is abandoned and forgotten. */
  protected abandonReplies(): void {
    const replies = this.#replies.values();
    this.#replies.clear();
    for (const reply of replies) reply.abandon();
  }
}
