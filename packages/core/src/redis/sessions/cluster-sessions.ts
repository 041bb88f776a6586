import type { IncomingMessage, ServerResponse } from "node:http";
import type { JSONRPCMessage, JSONRPCRequest, RequestId } from "@modelcontextprotocol/sdk/types.js";
import type {
  AttachedSessions,
  SessionBackendContext,
  SessionBackendOptions,
} from "../../http/backend.js";
import { idInFlight } from "../../http/errors.js";
import { header, sessionStep } from "../../http/negotiation.js";
import { Reply } from "../../http/reply.js";
import type { HttpHost, HttpRequest } from "../../http/types.js";
import type { ServerLogger } from "../../internal/logger.js";
import type { IncomingExtra } from "../../protocol/types.js";
import type { ClusterSettings } from "./cluster-settings.js";
import { EventStreams } from "./event-streams.js";
import { HeldStreams } from "./held-streams.js";
import { SessionRecords } from "./records.js";
import { type Replica, Replicas } from "./replicas.js";
import { ClusterRouter } from "./router.js";
import { SessionAccess } from "./session-access.js";
import { unavailable } from "./unavailable.js";

/**
 * Stateful sessions shared by every instance through Redis: the HTTP verbs of the MCP endpoint
 * over session records bound to a hash of the principal ({@link SessionRecords}, opened and
 * looked up by {@link SessionAccess}), a local copy of each session rebuilt on demand
 * ({@link Replicas}), a Redis Stream per SSE stream with ownership leases on running requests
 * ({@link EventStreams}), the client streams this instance holds ({@link HeldStreams}) and the
 * bus and inboxes between instances ({@link ClusterRouter}).
 *
 * @example
 * import { redisSessions } from "@mcpforge/core/redis";
 * await app.listen({ port: 3000, sessions: redisSessions({ url: "redis://127.0.0.1:6379" }) });
 */
export class ClusterSessions implements AttachedSessions {
  readonly #o: SessionBackendOptions;
  readonly #inflight: Set<Reply>;
  readonly #s: ClusterSettings;
  readonly #logger: ServerLogger;
  readonly #records: SessionRecords;
  readonly #streams: EventStreams;
  readonly #replicas: Replicas;
  readonly #held: HeldStreams;
  readonly #router: ClusterRouter;
  readonly #access: SessionAccess;
  readonly #timers: NodeJS.Timeout[] = [];
  /** Local copies are freed after this long without a request (never later than the record). */
  readonly #localIdleMs: number;
  #closed = false;

  constructor(context: SessionBackendContext, settings: ClusterSettings) {
    const host: HttpHost = context.host;
    this.#o = context.options;
    this.#inflight = context.inflight;
    this.#s = settings;
    this.#logger = host.logger;
    this.#localIdleMs = Math.min(settings.localIdleMs, context.options.sessionIdleTimeoutMs);
    this.#records = new SessionRecords(settings.store);
    this.#streams = new EventStreams(settings, this.#logger);
    this.#replicas = new Replicas({
      host,
      records: this.#records,
      streams: this.#streams,
      instance: settings.instance,
      logger: this.#logger,
    });
    this.#access = new SessionAccess({
      options: context.options,
      records: this.#records,
      replicas: this.#replicas,
      logger: this.#logger,
    });
    this.#held = new HeldStreams(settings, context.options.keepAliveMs, () => this.#router.wake());
    this.#router = new ClusterRouter({
      settings,
      logger: this.#logger,
      records: this.#records,
      streams: this.#streams,
      host,
      local: {
        transportOf: (id) => this.#replicas.get(id)?.transport,
        standaloneSessions: () => this.#held.standaloneSessions(),
        endLocal: (id) => this.#endLocal(id),
      },
    });
    const beat = setInterval(() => this.#heartbeat(), Math.max(100, settings.leaseMs / 3));
    const reap = setInterval(
      () => this.reap(Date.now()),
      Math.min(Math.max(this.#localIdleMs / 4, 10), 60_000),
    );
    beat.unref();
    reap.unref();
    this.#timers.push(beat, reap);
  }

  get size(): number {
    return this.#replicas.size;
  }

  // ---- POST ------------------------------------------------------------------------------

  async post(req: HttpRequest, res: ServerResponse, message: JSONRPCMessage): Promise<void> {
    let replica: Replica | undefined;
    const pending = sessionStep(req, res, message);
    const step = pending === "lookup" ? pending : await pending;
    if (step === "answered") return;
    if (step === "open") {
      replica = await this.#access.open(req, res, message as JSONRPCRequest);
    } else {
      replica = await this.#access.find(req, res, (message as { id?: RequestId }).id);
    }
    if (!replica) return;
    const extra: IncomingExtra = {
      requestInfo: { headers: req.headers, remoteAddress: req.socket.remoteAddress },
      authInfo: req.auth,
    };
    if (!("method" in message)) {
      if (!(await this.#router.routeAnswer(replica.id, replica.transport, message))) {
        return unavailable(res);
      }
      res.writeHead(202).end();
      return;
    }
    if (!("id" in message)) {
      if (message.method === "notifications/cancelled") {
        this.#router.publishCancel(replica.id, message);
      }
      replica.transport.deliver(message, extra);
      res.writeHead(202).end();
      return;
    }
    const request = message as JSONRPCRequest;
    if (replica.transport.hasReply(request.id)) {
      return idInFlight(res, request.id);
    }
    this.#openReply(replica, res, request, extra);
  }

  /** Opens the answer channel of one POSTed request and hands the request over. */
  #openReply(r: Replica, res: ServerResponse, request: JSONRPCRequest, extra: IncomingExtra): void {
    const streamId = `${r.id}.${this.#s.instance}${++r.streams}`;
    const headers: Record<string, string> = { "mcp-session-id": r.id };
    const reply: Reply = new Reply(res, request.id, {
      mode: this.#o.responseMode,
      headers,
      events: { store: this.#streams.requestEvents(streamId, request.id), streamId },
      prime: r.version >= "2025-11-25",
      retryMs: this.#o.retryMs,
      keepAliveMs: this.#o.keepAliveMs,
      inflight: this.#inflight,
      onDone: () => {
        this.#streams.release(streamId);
        r.transport.deleteReply(request.id, reply);
        r.lastSeen = Date.now();
      },
    });
    this.#inflight.add(reply);
    r.transport.setReply(request.id, reply);
    r.transport.deliver(request, {
      ...extra,
      responseHeaders: headers,
      closeSSEStream: () => reply.closeStream(),
      closeStandaloneSSEStream: () => this.#held.endStandalone(r.id),
    });
  }

  // ---- GET -------------------------------------------------------------------------------

  async get(req: HttpRequest, res: ServerResponse): Promise<void> {
    const r = await this.#access.find(req, res);
    if (!r) return;
    await this.#held.open(r.id, header(req, "last-event-id"), res);
  }

  /** Renews this instance's leases and locks; ends resumed streams whose owner died. */
  #heartbeat(): void {
    this.#streams.renewLeases();
    this.#held.renewLocks();
    for (const streamId of this.#held.resumedStreams()) this.#streams.settleOrphan(streamId);
  }

  // ---- DELETE, lifecycle -----------------------------------------------------------------

  async delete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const r = await this.#access.find(req, res);
    if (!r) return;
    try {
      await this.#end(r.id);
    } catch {
      return unavailable(res);
    }
    res.writeHead(200).end();
  }

  async #end(id: string): Promise<void> {
    await this.#records.end(id);
    this.#endLocal(id);
  }

  /** Ends a session's local copy and the streams held here (its handlers are aborted). */
  #endLocal(id: string): void {
    void this.#replicas.get(id)?.transport.close();
    this.#held.endSession(id);
  }

  async closeSession(id: string): Promise<boolean> {
    const existed = this.#replicas.get(id) !== undefined;
    await this.#end(id);
    return existed;
  }

  reap(now: number): number {
    return this.#replicas.reap(now, this.#localIdleMs);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#router.close();
    for (const t of this.#timers) clearInterval(t);
    this.#held.endAll();
    await this.#replicas.closeAll();
    await this.#s.onClose();
  }
}
