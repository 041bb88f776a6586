import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** Called for each replayed event, in order. */
export type ReplaySend = (eventId: string, message: JSONRPCMessage) => void | Promise<void>;

/**
 * Stores SSE events so a client that reconnects with `Last-Event-ID` gets what it missed on
 * that stream. `message` is undefined for priming events (an id with empty data). Stream ids
 * are `<session id>.<n>` for POST answers and `<session id>.get` for the standalone stream.
 */
export interface EventStore {
  storeEvent(streamId: string, message: JSONRPCMessage | undefined): string | Promise<string>;
  /** Replays the events after `lastEventId` on its stream; returns that stream's id, or undefined when unknown. */
  replayEventsAfter(
    lastEventId: string,
    send: ReplaySend,
  ): (string | undefined) | Promise<string | undefined>;
  /** Forgets every stream whose id starts with `prefix` (called when a session ends). */
  forget?(prefix: string): void | Promise<void>;
  /**
   * Whether `id` has the shape of an event id this store issues (not whether it still exists).
   * A `Last-Event-ID` without that shape is answered with 400.
   */
  isEventId?(id: string): boolean;
  /**
   * A POST stream's final response was written: `delivered` when a client was connected to
   * receive it (its events are no longer needed), false when the client had gone (keep them
   * for a while so it can resume).
   */
  streamDone?(streamId: string, delivered: boolean): void | Promise<void>;
}

/** Options of {@link memoryEventStore}. */
export interface MemoryEventStoreOptions {
  /** Bytes (as JSON) kept for all sessions together; oldest finished streams go first. Default 64 MiB. */
  maxBytes?: number;
  /** Bytes kept per session; its oldest streams go first. Default 1 MiB. */
  maxBytesPerSession?: number;
  /** Events kept per stream (oldest dropped first). Default 1,000. */
  maxEventsPerStream?: number;
  /** How long a stream whose final response reached its client is kept (default 0: dropped at once). */
  completedRetentionMs?: number;
  /** How long a stream that finished while its client was away is kept for resumption (default 5 min). */
  disconnectedRetentionMs?: number;
}

/** The counters of a memory event store. */
export interface EventStoreStats {
  /** Streams held (open, or finished and retained). */
  streams: number;
  events: number;
  /** Bytes held (as JSON). */
  bytes: number;
  /** Streams released because their final response reached the client. */
  released: number;
  /** What was dropped to stay within the bounds, by reason. */
  evicted: { budget: number; session: number; stream: number; expired: number };
}

/** A memory event store (every method synchronous) with its counters. */
export interface MemoryEventStore extends EventStore {
  storeEvent(streamId: string, message: JSONRPCMessage | undefined): string;
  streamDone(streamId: string, delivered: boolean): void;
  forget(prefix: string): void;
  isEventId(id: string): boolean;
  stats(): EventStoreStats;
}

/** The shape of the memory store's event ids: `<stream id>_<sequence>`, stream ids `<session>.<n|get>`. */
const MEMORY_EVENT_ID = /^[A-Za-z0-9_-]{1,64}\.(?:\d{1,15}|get)_\d{1,15}$/;
/** Bytes counted per event beyond its JSON (id, bookkeeping). */
const EVENT_OVERHEAD = 64;

interface StoredEvent {
  readonly id: string;
  readonly data: string | undefined;
  readonly bytes: number;
}

interface StreamLog {
  readonly id: string;
  readonly session: SessionLog;
  seq: number;
  events: StoredEvent[];
  bytes: number;
  /** When a finished stream is dropped (ms since the epoch), undefined while open. */
  expiresAt: number | undefined;
}

interface SessionLog {
  readonly key: string;
  bytes: number;
  /** Its streams, oldest first. */
  readonly streams: Set<StreamLog>;
}

function sessionKeyOf(streamId: string): string {
  const dot = streamId.lastIndexOf(".");
  return dot <= 0 ? streamId : streamId.slice(0, dot);
}

function positive(name: string, value: number | undefined, fallback: number, zero = false): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < (zero ? 0 : 1)) {
    throw new Error(
      `@mcpforge/core: memoryEventStore(): ${name} must be a ${zero ? "non-negative" : "positive"} number`,
    );
  }
  return v;
}

/**
 * The default event store: in memory, bounded. A POST stream's events are dropped once its
 * final response reached a connected client (or after `completedRetentionMs`); a stream that
 * finished while its client was away is kept for `disconnectedRetentionMs` so the client can
 * resume. All streams share one byte budget (`maxBytes`, oldest finished streams evicted
 * first), each session has its own cap, and every eviction is counted in `stats()`.
 *
 * @example
 * const events = memoryEventStore({ maxBytes: 32 * 1024 * 1024, disconnectedRetentionMs: 60_000 });
 * await app.listen({ port: 3000, eventStore: events });
 * console.error(events.stats());
 */
export function memoryEventStore(options: MemoryEventStoreOptions = {}): MemoryEventStore {
  const maxBytes = positive("maxBytes", options.maxBytes, 64 * 1024 * 1024);
  const maxPerSession = positive("maxBytesPerSession", options.maxBytesPerSession, 1024 * 1024);
  const maxEvents = positive("maxEventsPerStream", options.maxEventsPerStream, 1000);
  const keepDelivered = positive("completedRetentionMs", options.completedRetentionMs, 0, true);
  const keepAway = positive(
    "disconnectedRetentionMs",
    options.disconnectedRetentionMs,
    300_000,
    true,
  );
  /** Every stream held, oldest first. */
  const streams = new Map<string, StreamLog>();
  /** Finished streams waiting to expire, in expiry order (one list per retention). */
  const delivered = new Set<StreamLog>();
  const away = new Set<StreamLog>();
  const sessions = new Map<string, SessionLog>();
  let bytes = 0;
  let events = 0;
  let released = 0;
  const evicted = { budget: 0, session: 0, stream: 0, expired: 0 };

  const dropEvent = (log: StreamLog) => {
    const e = log.events.shift();
    if (!e) return;
    log.bytes -= e.bytes;
    log.session.bytes -= e.bytes;
    bytes -= e.bytes;
    events--;
  };

  const dropStream = (log: StreamLog) => {
    if (streams.get(log.id) !== log) return;
    streams.delete(log.id);
    delivered.delete(log);
    away.delete(log);
    log.session.streams.delete(log);
    log.session.bytes -= log.bytes;
    if (log.session.streams.size === 0) sessions.delete(log.session.key);
    bytes -= log.bytes;
    events -= log.events.length;
  };

  const sweep = (now: number) => {
    for (const list of [delivered, away]) {
      for (const log of list) {
        if ((log.expiresAt ?? Number.POSITIVE_INFINITY) > now) break;
        dropStream(log);
        evicted.expired++;
      }
    }
  };

  /** The oldest stream to give up for room: a finished one first, never `keep` if avoidable. */
  const victim = (candidates: Iterable<StreamLog>, keep: StreamLog): StreamLog | undefined => {
    let open: StreamLog | undefined;
    for (const log of candidates) {
      if (log === keep) continue;
      if (log.expiresAt !== undefined) return log;
      open ??= log;
    }
    return open;
  };

  const makeRoom = (current: StreamLog) => {
    while (current.events.length > maxEvents) {
      dropEvent(current);
      evicted.stream++;
    }
    const session = current.session;
    while (session.bytes > maxPerSession) {
      const v = victim(session.streams, current);
      if (v) dropStream(v);
      else if (current.events.length > 1) dropEvent(current);
      else break;
      evicted.session++;
    }
    while (bytes > maxBytes) {
      const v =
        victim(
          delivered.size + away.size > 0 ? [...delivered, ...away] : streams.values(),
          current,
        ) ?? victim(streams.values(), current);
      if (v) dropStream(v);
      else if (current.events.length > 1) dropEvent(current);
      else break;
      evicted.budget++;
    }
  };

  return {
    storeEvent(streamId, message) {
      sweep(Date.now());
      let log = streams.get(streamId);
      if (!log) {
        const key = sessionKeyOf(streamId);
        let session = sessions.get(key);
        if (!session) {
          session = { key, bytes: 0, streams: new Set() };
          sessions.set(key, session);
        }
        log = { id: streamId, session, seq: 0, events: [], bytes: 0, expiresAt: undefined };
        streams.set(streamId, log);
        session.streams.add(log);
      }
      const id = `${streamId}_${++log.seq}`;
      const data = message === undefined ? undefined : JSON.stringify(message);
      const size = (data?.length ?? 0) + EVENT_OVERHEAD;
      log.events.push({ id, data, bytes: size });
      log.bytes += size;
      log.session.bytes += size;
      bytes += size;
      events++;
      makeRoom(log);
      return id;
    },
    async replayEventsAfter(lastEventId, send) {
      sweep(Date.now());
      const cut = lastEventId.lastIndexOf("_");
      if (cut <= 0) return undefined;
      const streamId = lastEventId.slice(0, cut);
      const log = streams.get(streamId);
      if (!log) return undefined;
      const index = log.events.findIndex((e) => e.id === lastEventId);
      if (index === -1) return undefined;
      for (const e of log.events.slice(index + 1)) {
        if (e.data !== undefined) await send(e.id, JSON.parse(e.data) as JSONRPCMessage);
      }
      return streamId;
    },
    streamDone(streamId, reachedClient) {
      const log = streams.get(streamId);
      if (!log || log.expiresAt !== undefined) return;
      const keep = reachedClient ? keepDelivered : keepAway;
      if (keep === 0) {
        dropStream(log);
        if (reachedClient) released++;
        else evicted.expired++;
        return;
      }
      log.expiresAt = Date.now() + keep;
      (reachedClient ? delivered : away).add(log);
      if (reachedClient) released++;
    },
    isEventId(id) {
      return MEMORY_EVENT_ID.test(id);
    },
    forget(prefix) {
      const session = prefix.endsWith(".") ? sessions.get(prefix.slice(0, -1)) : undefined;
      const doomed = session
        ? [...session.streams]
        : [...streams.values()].filter((l) => l.id.startsWith(prefix));
      for (const log of doomed) dropStream(log);
    },
    stats() {
      sweep(Date.now());
      return { streams: streams.size, events, bytes, released, evicted: { ...evicted } };
    },
  };
}
