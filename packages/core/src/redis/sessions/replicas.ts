import type {
  ClientCapabilities,
  Implementation,
  LoggingLevel,
} from "@modelcontextprotocol/sdk/types.js";
import type { HttpHost } from "../../http/types.js";
import type { ServerLogger } from "../../internal/logger.js";
import type { Session } from "../../protocol/session.js";
import { type ClusterLink, ClusterTransport } from "./cluster-transport.js";
import type { EventStreams } from "./event-streams.js";
import { parseField, type RecordFields, type SessionRecords } from "./records.js";

/**
 * One session's local copy on this instance: its transport and session, rebuilt from the
 * session's record, and what of the record it last saw.
 *
 * @example
 * declare const replica: Replica;
 * const running = replica.transport.replyCount; // requests of the session running here
 */
export interface Replica {
  readonly id: string;
  readonly transport: ClusterTransport;
  session: Session | undefined;
  /** The record revision this copy holds. */
  rev: string;
  /** The protocol version negotiated at `initialize`. */
  version: string;
  /** The state, log level and subscriptions as last read or written (JSON). */
  saved: { st: string; ll: string; sub: string };
  lastSeen: number;
  /** POST streams opened here (numbers the stream ids). */
  streams: number;
}

/**
 * What {@link Replicas} are built from.
 *
 * @example
 * import type { HttpHost } from "../../http/types.js";
 * import type { EventStreams } from "./event-streams.js";
 * import type { SessionRecords } from "./records.js";
 * declare const host: HttpHost;
 * declare const records: SessionRecords;
 * declare const streams: EventStreams;
 * const parts: ReplicaParts = { host, records, streams, instance: "a1", logger };
 */
export interface ReplicaParts {
  /** Connects a session's transport (builds its protocol layer and `Session`). */
  readonly host: Pick<HttpHost, "connect">;
  readonly records: SessionRecords;
  readonly streams: Pick<EventStreams, "toStandalone">;
  /** This instance's id. */
  readonly instance: string;
  readonly logger: ServerLogger;
}

/**
 * The local copies of sessions on this instance, by session id: each is built once from its
 * record (concurrent requests share the build), refreshed when the record changed elsewhere,
 * and writes its own changes back before each response.
 *
 * @example
 * declare const parts: ReplicaParts;
 * const replicas = new Replicas(parts);
 * const fields = { p: "hash", v: "2025-11-25", r: "1", ll: "", sub: "[]", st: "[]" };
 * const replica = await replicas.obtain("session-id", fields);
 * replica.session?.state.set("k", "v");
 * await replicas.save("session-id"); // the record now has the state
 */
export class Replicas {
  readonly #host: Pick<HttpHost, "connect">;
  readonly #records: SessionRecords;
  readonly #logger: ServerLogger;
  readonly #link: ClusterLink;
  readonly #replicas = new Map<string, Replica>();
  readonly #building = new Map<string, Promise<Replica>>();

  constructor(parts: ReplicaParts) {
    this.#host = parts.host;
    this.#records = parts.records;
    this.#logger = parts.logger;
    const streams = parts.streams;
    this.#link = {
      instance: parts.instance,
      save: (sid) => this.save(sid),
      toStandalone: (sid, message) => streams.toStandalone(sid, message),
    };
  }

  /** Local copies held. */
  get size(): number {
    return this.#replicas.size;
  }

  /** The local copy of a session, when this instance has one. */
  get(id: string): Replica | undefined {
    return this.#replicas.get(id);
  }

  /** This instance's copy of a session, built once from its record. */
  obtain(id: string, fields: RecordFields): Promise<Replica> {
    let building = this.#building.get(id);
    if (!building) {
      building = this.#build(id, fields).finally(() => this.#building.delete(id));
      this.#building.set(id, building);
    }
    return building;
  }

  async #build(id: string, fields: RecordFields): Promise<Replica> {
    const transport = new ClusterTransport(id, this.#link);
    const replica: Replica = {
      id,
      transport,
      session: undefined,
      rev: "",
      version: fields.v,
      saved: { st: "[]", ll: "", sub: "[]" },
      lastSeen: Date.now(),
      streams: 0,
    };
    replica.session = await this.#host.connect(transport, { transportName: "http" });
    const previous = transport.onclose;
    transport.onclose = () => {
      previous?.();
      if (this.#replicas.get(id) === replica) this.#replicas.delete(id);
    };
    this.apply(replica, fields);
    this.#replicas.set(id, replica);
    return replica;
  }

  /** Copies a record into a local copy (all of it: read with `full`). */
  apply(replica: Replica, f: RecordFields): void {
    const session = replica.session;
    replica.rev = f.r;
    replica.version = f.v;
    if (!session) return;
    const protocol = session.protocol;
    if (protocol) {
      protocol.protocolVersion = f.v;
      protocol.clientInfo = parseField<Implementation>(f.ci);
      protocol.clientCapabilities = parseField<ClientCapabilities>(f.cc);
    }
    session.logLevel = (f.ll || undefined) as LoggingLevel | undefined;
    const subs = parseField<string[]>(f.sub) ?? [];
    session.subscriptions.clear();
    for (const uri of subs) session.subscriptions.add(uri);
    const state = parseField<[string, unknown][]>(f.st) ?? [];
    session.state.clear();
    for (const [k, v] of state) session.state.set(k, v);
    replica.saved = { st: f.st || "[]", ll: f.ll ?? "", sub: f.sub || "[]" };
  }

  /** Writes what changed of a session (state, log level, subscriptions) to its record. */
  async save(id: string): Promise<void> {
    const replica = this.#replicas.get(id);
    const session = replica?.session;
    if (!replica || !session) return;
    const now = {
      st: JSON.stringify([...session.state]),
      ll: session.logLevel ?? "",
      sub: JSON.stringify([...session.subscriptions]),
    };
    const args: string[] = [];
    if (now.st !== replica.saved.st) args.push("st", now.st);
    if (now.ll !== replica.saved.ll) args.push("ll", now.ll);
    if (now.sub !== replica.saved.sub) args.push("sub", now.sub);
    if (args.length === 0) return;
    try {
      const rev = await this.#records.save(id, args);
      if (rev !== undefined) replica.rev = rev;
      replica.saved = now;
    } catch (err) {
      this.#logger.warn("redis sessions: could not save session state", { error: String(err) });
    }
  }

  /** Frees the copies idle for `idleMs` with no request running here; returns how many. */
  reap(now: number, idleMs: number): number {
    let freed = 0;
    for (const r of [...this.#replicas.values()]) {
      if (r.transport.replyCount > 0 || now - r.lastSeen < idleMs) continue;
      freed++;
      void r.transport.close();
    }
    return freed;
  }

  /** Closes every local copy (their running handlers are aborted). */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.#replicas.values()].map((r) => r.transport.close()));
  }
}
