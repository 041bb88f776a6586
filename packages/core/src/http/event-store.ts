import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** Called for each replayed event, in order. */
export type ReplaySend = (eventId: string, message: JSONRPCMessage) => void | Promise<void>;

/**
 * Stores SSE events so a client that reconnects with `Last-Event-ID` gets what it missed on
 * that stream. `message` is undefined for priming events (an id with empty data).
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
}

/** The shape of the memory store's event ids: `<stream id>_<sequence>`, stream ids `<session>.<n|get>`. */
const MEMORY_EVENT_ID = /^[A-Za-z0-9_-]{1,64}\.(?:\d{1,15}|get)_\d{1,15}$/;

/** Options of {@link memoryEventStore}. */
export interface MemoryEventStoreOptions {
  /** Events kept per stream (oldest dropped first). Default 1,000. */
  maxEventsPerStream?: number;
  /** Streams kept (oldest dropped first). Default 10,000. */
  maxStreams?: number;
}

interface StreamLog {
  seq: number;
  events: { id: string; message: JSONRPCMessage | undefined }[];
}

/**
 * The default in-memory event store, bounded by stream count and events per stream.
 *
 * @example
 * app.listen({ eventStore: memoryEventStore({ maxEventsPerStream: 100 }) });
 */
export function memoryEventStore(options: MemoryEventStoreOptions = {}): EventStore {
  const maxEvents = options.maxEventsPerStream ?? 1000;
  const maxStreams = options.maxStreams ?? 10_000;
  const streams = new Map<string, StreamLog>();
  return {
    storeEvent(streamId, message) {
      let log = streams.get(streamId);
      if (!log) {
        if (streams.size >= maxStreams) {
          const oldest = streams.keys().next().value;
          if (oldest !== undefined) streams.delete(oldest);
        }
        log = { seq: 0, events: [] };
        streams.set(streamId, log);
      }
      const id = `${streamId}_${++log.seq}`;
      log.events.push({ id, message });
      if (log.events.length > maxEvents) log.events.shift();
      return id;
    },
    async replayEventsAfter(lastEventId, send) {
      const cut = lastEventId.lastIndexOf("_");
      if (cut <= 0) return undefined;
      const streamId = lastEventId.slice(0, cut);
      const log = streams.get(streamId);
      if (!log) return undefined;
      const index = log.events.findIndex((e) => e.id === lastEventId);
      if (index === -1) return undefined;
      for (const e of log.events.slice(index + 1)) {
        if (e.message !== undefined) await send(e.id, e.message);
      }
      return streamId;
    },
    isEventId(id) {
      return MEMORY_EVENT_ID.test(id);
    },
    forget(prefix) {
      for (const key of streams.keys()) if (key.startsWith(prefix)) streams.delete(key);
    },
  };
}
