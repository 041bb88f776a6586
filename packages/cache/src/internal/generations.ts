import { randomUUID } from "node:crypto";
import type { CacheStore } from "../types.js";
import { sha256 } from "./json.js";

/**
 * Invalidation by name or tag without scanning: every dependency (a tag, a component, a list)
 * has a generation kept in the store itself; an entry records the generations it was computed
 * under and is valid only while all of them are unchanged. Invalidating a dependency writes a
 * new generation, so every entry that depends on it turns into a miss — in every process that
 * shares the store. A generation that is missing (never written, or evicted) counts as changed.
 */
export class Generations {
  readonly #store: CacheStore;

  constructor(store: CacheStore) {
    this.#store = store;
  }

  /** The store key holding the generation of a dependency such as `tag:users`. */
  key(dependency: string): string {
    return `mcpforge:gen:${sha256(dependency)}`;
  }

  /** The current generation of each dependency (`undefined` where none exists yet). */
  read(dependencies: readonly string[]): Promise<(string | undefined)[]> {
    return Promise.all(
      dependencies.map(async (d) => {
        const value = await this.#store.get(this.key(d));
        return typeof value === "string" ? value : undefined;
      }),
    );
  }

  /** Fills in the missing generations (writing new ones) and returns the complete list. */
  async ensure(
    dependencies: readonly string[],
    current: readonly (string | undefined)[],
  ): Promise<string[]> {
    return Promise.all(
      dependencies.map(async (d, i) => {
        const known = current[i];
        if (known !== undefined) return known;
        const fresh = randomUUID();
        await this.#store.set(this.key(d), fresh);
        return fresh;
      }),
    );
  }

  /** Starts a new generation of a dependency: every entry depending on it becomes stale. */
  async bump(dependency: string): Promise<void> {
    await this.#store.set(this.key(dependency), randomUUID());
  }
}

/** What `cached()` and `responseCache()` keep in a store for one result. */
export interface Entry {
  /** Marks the envelope (and its format version). */
  readonly mcpforge: 1;
  /** The cached value. */
  readonly v: unknown;
  /** When it was computed (ms since the epoch). */
  readonly at: number;
  /** The generations of its dependencies when it was computed. */
  readonly g: readonly string[];
}

/**
 * Wraps a value in an {@link Entry}.
 *
 * @example
 * const store = memoryStore();
 * const generations = new Generations(store);
 * const deps = ["tag:users"];
 * const gens = await generations.ensure(deps, await generations.read(deps));
 * await store.set("user:42", makeEntry({ id: "42" }, gens), 60_000);
 */
export function makeEntry(value: unknown, generations: readonly string[]): Entry {
  return { mcpforge: 1, v: value, at: Date.now(), g: generations };
}

/**
 * Whether a stored value is a well-formed {@link Entry}; anything else is corrupt.
 *
 * @example
 * isEntry(makeEntry("value", [])); // true
 * isEntry({ v: "value" }); // false: a corrupt entry
 */
export function isEntry(raw: unknown): raw is Entry {
  if (typeof raw !== "object" || raw === null) return false;
  const e = raw as Record<string, unknown>;
  return (
    e.mcpforge === 1 &&
    Object.hasOwn(e, "v") &&
    typeof e.at === "number" &&
    Array.isArray(e.g) &&
    e.g.every((g) => typeof g === "string")
  );
}

/**
 * Whether an entry is still valid: every recorded generation equals the current one.
 *
 * @example
 * const generations = new Generations(memoryStore());
 * const entry = makeEntry("value", await generations.ensure(["tag:users"], [undefined]));
 * isCurrent(entry, await generations.read(["tag:users"])); // true
 * await generations.bump("tag:users");
 * isCurrent(entry, await generations.read(["tag:users"])); // false
 */
export function isCurrent(entry: Entry, current: readonly (string | undefined)[]): boolean {
  if (entry.g.length !== current.length) return false;
  return entry.g.every((g, i) => current[i] !== undefined && g === current[i]);
}
