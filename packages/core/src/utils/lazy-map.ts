/**
 * A map that holds no storage while empty: the backing `Map` is made on the first `set` and
 * dropped when the last entry goes. For per-session tables that are empty most of the time
 * (a `Map`'s hash table costs hundreds of bytes even when empty, times every idle session).
 *
 * @example
 * const replies = new LazyMap<number, string>();
 * replies.set(1, "open");
 * replies.get(1); // "open"
 * replies.delete(1); // true — and the backing Map is gone again
 * replies.size; // 0
 */
export class LazyMap<K, V> {
  #map: Map<K, V> | undefined;

  get size(): number {
    return this.#map?.size ?? 0;
  }

  get(key: K): V | undefined {
    return this.#map?.get(key);
  }

  has(key: K): boolean {
    return this.#map?.has(key) ?? false;
  }

  set(key: K, value: V): this {
    this.#map ??= new Map();
    this.#map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    const map = this.#map;
    if (!map?.delete(key)) return false;
    if (map.size === 0) this.#map = undefined;
    return true;
  }

  /** The values, as a copy (safe to delete while iterating). */
  values(): V[] {
    return this.#map ? [...this.#map.values()] : [];
  }

  clear(): void {
    this.#map = undefined;
  }
}
