/**
 * A map that holds no storage while empty and no hash table for a single entry: one entry is
 * kept in fields, a backing `Map` is made when a second key arrives and dropped when the last
 * entry goes. For per-session tables that are empty most of the time and hold one entry
 * otherwise (the call in flight): a `Map`'s hash table costs hundreds of bytes even when
 * empty, times every idle session, and emptying one makes the engine shrink (reallocate) it.
 * Keys compare as in a `Map` (SameValueZero); values come in insertion order.
 *
 * @example
 * const replies = new LazyMap<number, string>();
 * replies.set(1, "open"); // kept in fields: no Map made
 * replies.get(1); // "open"
 * replies.delete(1); // true
 * replies.size; // 0
 */
export class LazyMap<K, V> {
  /** The single entry, while there is one and no map. */
  #one = false;
  #key: K | undefined;
  #value: V | undefined;
  /** Two entries or more (kept until it empties). */
  #map: Map<K, V> | undefined;

  get size(): number {
    return this.#map ? this.#map.size : this.#one ? 1 : 0;
  }

  get(key: K): V | undefined {
    if (this.#one) return sameKey(this.#key, key) ? this.#value : undefined;
    return this.#map?.get(key);
  }

  has(key: K): boolean {
    if (this.#one) return sameKey(this.#key, key);
    return this.#map?.has(key) ?? false;
  }

  set(key: K, value: V): this {
    if (this.#map) {
      this.#map.set(key, value);
    } else if (!this.#one || sameKey(this.#key, key)) {
      this.#one = true;
      this.#key = key;
      this.#value = value;
    } else {
      this.#map = new Map([[this.#key as K, this.#value as V]]);
      this.#map.set(key, value);
      this.#dropOne();
    }
    return this;
  }

  delete(key: K): boolean {
    if (this.#one) {
      if (!sameKey(this.#key, key)) return false;
      this.#dropOne();
      return true;
    }
    const map = this.#map;
    if (!map?.delete(key)) return false;
    if (map.size === 0) this.#map = undefined;
    return true;
  }

  /** The values, as a copy (safe to delete while iterating). */
  values(): V[] {
    if (this.#one) return [this.#value as V];
    return this.#map ? [...this.#map.values()] : [];
  }

  clear(): void {
    this.#dropOne();
    this.#map = undefined;
  }

  #dropOne(): void {
    this.#one = false;
    this.#key = undefined;
    this.#value = undefined;
  }
}

/** SameValueZero, as `Map` compares keys (NaN equals NaN). */
function sameKey(a: unknown, b: unknown): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: NaN is the one value not equal to itself
  return a === b || (a !== a && b !== b);
}
