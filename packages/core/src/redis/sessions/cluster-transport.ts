import type { TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import type {
  JSONRPCMessage,
  MessageExtraInfo,
  RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import { ReplyRoutes } from "../../http/reply-routes.js";
import type { IncomingExtra, RequestAwareTransport } from "../../protocol/types.js";

/**
 * What a {@link ClusterTransport} needs from the instance that serves it.
 *
 * @example
 * const link: ClusterLink = {
 *   instance: "a1",
 *   save: async (sessionId) => console.error(`save ${sessionId}`),
 *   toStandalone: async (sessionId, message) => console.error(sessionId, message),
 * };
 */
export interface ClusterLink {
  /** This instance's id: prefixes the ids of server-to-client requests so answers find their way back. */
  readonly instance: string;
  /** Writes the session's state, log level and subscriptions to its record when they changed. */
  save(sessionId: string): Promise<void>;
  /** Appends a message to the session's standalone (GET) stream, wherever it is held. */
  toStandalone(sessionId: string, message: JSONRPCMessage): Promise<void>;
}

function fansOut(method: string): boolean {
  return method.endsWith("/list_changed") || method === "notifications/resources/updated";
}

/**
 * The transport of one session's local copy on one instance: a request's messages go to its
 * answer (requests run where they were POSTed), other messages to the session's standalone
 * stream in Redis; list changes and resource updates travel on the cluster bus instead.
 *
 * @example
 * const link = {
 *   instance: "a1",
 *   save: async () => {},
 *   toStandalone: async () => {},
 * };
 * const transport = new ClusterTransport("session-id", link);
 * await app.connect(transport, { transportName: "http" });
 */
export class ClusterTransport extends ReplyRoutes implements RequestAwareTransport {
  readonly sessionId: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  readonly #link: ClusterLink;
  #closed = false;

  constructor(sessionId: string, link: ClusterLink) {
    super();
    this.sessionId = sessionId;
    this.#link = link;
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.#closed) return;
    if ("id" in message && ("result" in message || "error" in message)) {
      const reply = this.takeReply(message.id as RequestId);
      if (!reply) return;
      // The state goes to Redis before the answer: the client's next request may land elsewhere.
      await this.#link.save(this.sessionId);
      await reply.send(message);
      return;
    }
    let out: JSONRPCMessage = message;
    if ("method" in message) {
      if ("id" in message) {
        out = { ...message, id: `${this.#link.instance}~${String(message.id)}` };
      } else if (message.method === "notifications/cancelled") {
        const params = message.params as { requestId?: RequestId; reason?: string };
        const requestId = `${this.#link.instance}~${String(params.requestId)}`;
        out = { ...message, params: { ...params, requestId } } as JSONRPCMessage;
      } else if (options?.relatedRequestId === undefined && fansOut(message.method)) {
        return; // the cluster bus delivers it to every session, on every instance
      }
    }
    const reply = this.relatedReply(options);
    if (reply) {
      await reply.send(out);
      return;
    }
    await this.#link.toStandalone(this.sessionId, out);
  }

  /** Hands an incoming message to the session's protocol layer. */
  deliver(message: JSONRPCMessage, extra: IncomingExtra): void {
    this.onmessage?.(message, extra);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.abandonReplies();
    this.onclose?.();
  }
}
