/** Read-through and single-flight, shared by `cached()` and `responseCache()`. */
import type { CacheStore } from "../types.js";
import { type Generations, isCurrent, isEntry, makeEntry } from "./generations.js";

/** The counters a {@link ReadThrough} keeps up to date. */
export interface ReadThroughCounters {
  hits: number;
  misses: number;
  /** Unusable entries found (treated as misses and deleted). */
  corrupt: number;
}

/** Options of a {@link ReadThrough}. */
export interface ReadThroughOptions {
  store: CacheStore;
  generations: Generations;
  ttlMs: number;
  counters: ReadThroughCounters;
  /** Whether an entry's value may answer (default: any); an entry holding another is corrupt. */
  usable?: (value: unknown) => boolean;
  /**
   * A store call failed: `read` (get or generations; the origin answers), `write` (generations
   * or the value; nothing is stored) or `delete` (of a corrupt entry).
   */
  onStoreError(error: unknown, during: "read" | "write" | "delete"): void;
  /** A value was stored. */
  onStored?(): void;
}

/** What {@link ReadThrough.get} answered with: a cached value, or the origin's. */
export type ReadThroughResult<T> =
  | { hit: true; value: unknown; at: number }
  | { hit: false; value: T };

/**
 * Cache-aside over a {@link CacheStore} with generation-based invalidation: looks `key` up,
 * answers a current entry, else runs the origin and stores its value. Generations are fixed
 * before the origin runs, so an invalidation meanwhile makes the stored value stale at once.
 * A failing store never fails the call: the origin answers.
 *
 * @example
 * import { Generations } from "./generations.js";
 * const store = memoryStore();
 * const counters = { hits: 0, misses: 0, corrupt: 0 };
 * const reader = new ReadThrough({
 *   store,
 *   generations: new Generations(store),
 *   ttlMs: 60_000,
 *   counters,
 *   onStoreError: (err, during) => console.warn(`cache ${during} failed`, err),
 * });
 * const load = () => reader.get("user:42", ["tag:users"], () => ({ id: 42 }), (v) => v !== undefined);
 * await load(); // { hit: false, value: { id: 42 } } (the origin ran; the value is stored)
 * await load(); // { hit: true, value: { id: 42 }, at: … }
 */
export class ReadThrough {
  readonly #o: ReadThroughOptions;

  constructor(options: ReadThroughOptions) {
    this.#o = options;
  }

  /**
   * The entry of `key` if it is current, else the origin's value — stored when `storable`
   * (asked only after a successful lookup) says so.
   */
  async get<T>(
    key: string,
    dependencies: readonly string[],
    origin: () => T | Promise<T>,
    storable: (value: T) => boolean,
  ): Promise<ReadThroughResult<T>> {
    const { store, generations, counters, onStoreError } = this.#o;
    const usable = this.#o.usable ?? (() => true);
    let raw: unknown;
    let current: (string | undefined)[];
    try {
      [raw, current] = await Promise.all([store.get(key), generations.read(dependencies)]);
    } catch (err) {
      onStoreError(err, "read");
      return { hit: false, value: await origin() };
    }
    if (isEntry(raw) && isCurrent(raw, current) && usable(raw.v)) {
      counters.hits++;
      return { hit: true, value: raw.v, at: raw.at };
    }
    counters.misses++;
    if (raw !== undefined && !(isEntry(raw) && usable(raw.v))) {
      counters.corrupt++;
      await store.delete(key).catch((err: unknown) => onStoreError(err, "delete"));
    }
    let recorded: string[] | undefined;
    try {
      // Fixed before the origin runs: an invalidation meanwhile makes this value stale.
      recorded = await generations.ensure(dependencies, current);
    } catch (err) {
      onStoreError(err, "write");
    }
    const value = await origin();
    if (storable(value) && recorded) {
      try {
        await store.set(key, makeEntry(value, recorded), this.#o.ttlMs);
        this.#o.onStored?.();
      } catch (err) {
        onStoreError(err, "write");
      }
    }
    return { hit: false, value };
  }
}

/** One call in flight, which identical calls arriving meanwhile join. */
export interface Flight<T> {
  readonly promise: Promise<T>;
  /** Set when the flight was dropped (invalidated) while it ran. */
  stale: boolean;
}

/**
 * Single-flight: at most one call per key runs at a time; {@link SingleFlight.running} lets
 * identical calls join it. A flight leaves the table when it settles or is dropped.
 *
 * @example
 * const flights = new SingleFlight<string>();
 * const read = (url: string) =>
 *   flights.running(url) ?? flights.start(url, async () => (await fetch(url)).text());
 * const [a, b] = await Promise.all([read("https://example.com/"), read("https://example.com/")]);
 * // one fetch: the second call joined the first
 */
export class SingleFlight<T> {
  readonly #flights = new Map<string, Flight<T>>();

  /** The promise of the call running for `key`, if any. */
  running(key: string): Promise<T> | undefined {
    return this.#flights.get(key)?.promise;
  }

  /** Runs `task` as the flight of `key`. */
  start(key: string, task: (flight: Flight<T>) => Promise<T>): Promise<T> {
    const flight = { stale: false } as { promise: Promise<T>; stale: boolean };
    flight.promise = task(flight).finally(() => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    });
    this.#flights.set(key, flight);
    return flight.promise;
  }

  /** Marks the flight of `key` stale and lets later calls start a new one. */
  drop(key: string): void {
    const flight = this.#flights.get(key);
    if (!flight) return;
    flight.stale = true;
    this.#flights.delete(key);
  }

  /** Drops every flight. */
  clear(): void {
    for (const key of [...this.#flights.keys()]) this.drop(key);
  }
}
