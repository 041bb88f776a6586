import { randomBytes } from "node:crypto";

/**
 * A bounded LRU of API keys already verified against a static key table, found by a fast
 * keyed hash (two 32-bit lanes seeded from a per-cache random secret, so nobody outside the
 * process can aim at a slot). A hit still compares the presented key with the stored one in
 * full, in time independent of where they differ: the cache saves the SHA-256 digest and the
 * table scan, never the check. Only keys that matched the table are ever stored.
 *
 * @example
 * const cache = new VerifiedKeyCache<string>(1000);
 * cache.set("k_live_0123456789abcdef", "ci");
 * cache.get("k_live_0123456789abcdef"); // "ci"
 * cache.get("k_live_0123456789abcdeF"); // undefined
 */
export class VerifiedKeyCache<T> {
  readonly #max: number;
  readonly #entries = new Map<number, { key: string; value: T }>();
  readonly #seed1: number;
  readonly #seed2: number;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
    const seed = randomBytes(8);
    this.#seed1 = seed.readUInt32LE(0);
    this.#seed2 = seed.readUInt32LE(4);
  }

  /** Keys held now (at most the bound given to the constructor). */
  get size(): number {
    return this.#entries.size;
  }

  /** The value stored for exactly `key`, if it is cached. */
  get(key: string): T | undefined {
    const slot = this.#hash(key);
    const entry = this.#entries.get(slot);
    if (entry === undefined || !sameKey(entry.key, key)) return undefined;
    if (this.#entries.size > 1) {
      // Most recently used last (the map keeps insertion order).
      this.#entries.delete(slot);
      this.#entries.set(slot, entry);
    }
    return entry.value;
  }

  /** Stores a key that was verified; the least recently used key leaves past the bound. */
  set(key: string, value: T): void {
    const slot = this.#hash(key);
    this.#entries.delete(slot);
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(slot, { key, value });
  }

  /** A 53-bit keyed hash of `key` (cyrb53-style mixing on two seeded lanes). */
  #hash(key: string): number {
    let h1 = 0xdeadbeef ^ this.#seed1;
    let h2 = 0x41c6ce57 ^ this.#seed2;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }
}

/** Whether two strings are equal, looking at every character (no early exit on a difference). */
function sameKey(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
