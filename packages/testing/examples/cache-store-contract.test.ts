// A cache store of your own, checked by the contract suite every store must pass.
import { testCacheStore } from "@mcpforge/testing";

/** A small in-process store: JSON text in a Map, each entry with its expiry time. */
function mapStore() {
  const entries = new Map<string, { json: string; expiresAt: number }>();
  let closed = false;
  const open = () => {
    if (closed) throw new Error("map store: closed");
  };
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    return entries.get(key);
  };
  return {
    async get(key: string): Promise<unknown> {
      open();
      const entry = live(key);
      return entry === undefined ? undefined : JSON.parse(entry.json);
    },
    async set(key: string, value: unknown, ttlMs?: number): Promise<void> {
      open();
      const json = JSON.stringify(value); // throws on BigInts and cycles
      if (json === undefined) throw new TypeError("map store: not a JSON value");
      const expiresAt = ttlMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + ttlMs;
      entries.set(key, { json, expiresAt });
    },
    async delete(key: string): Promise<boolean> {
      open();
      return live(key) !== undefined && entries.delete(key);
    },
    async has(key: string): Promise<boolean> {
      open();
      return live(key) !== undefined;
    },
    async clear(): Promise<void> {
      open();
      entries.clear();
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}

testCacheStore("map", () => mapStore());
