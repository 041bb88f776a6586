import {
  deletePrefix,
  freePort,
  REDIS_URL,
  randomPrefix,
  requireRedis,
} from "@mcpforge/testing/redis";
import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStore } from "../memory/memory-store.js";
import { redisStore } from "../redis/redis-store.js";
import { tieredStore } from "../tiered/tiered-store.js";
import { cached } from "./cached.js";

const quiet = { warn() {}, info() {} };

/** A deferred promise: resolve it when the test says so. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("cached()", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("caches results by arguments", async () => {
    const fn = vi.fn(async (a: number, b: number) => ({ sum: a + b }));
    const add = cached(fn, { store: memoryStore(), ttlMs: 60_000, name: "add" });
    expect(await add(1, 2)).toEqual({ sum: 3 });
    expect(await add(1, 2)).toEqual({ sum: 3 });
    expect(await add(2, 1)).toEqual({ sum: 3 });
    expect(fn).toHaveBeenCalledTimes(2);
    expect(add.stats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it("single-flight: 100 concurrent identical misses run fn once", async () => {
    const gate = deferred<void>();
    let calls = 0;
    const slow = cached(
      async (id: string) => {
        const at = ++calls;
        await gate.promise;
        return { id, at };
      },
      { store: memoryStore(), ttlMs: 60_000, name: "slow" },
    );
    const pending = Array.from({ length: 100 }, () => slow("x"));
    const other = slow("y");
    gate.resolve();
    const results = await Promise.all(pending);
    expect(calls).toBe(2); // "x" once, "y" once
    expect(new Set(results.map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify({ id: "x", at: 1 })]),
    );
    expect(await other).toEqual({ id: "y", at: 2 });
    expect(slow.stats().coalesced).toBe(99);
    expect(await slow("x")).toEqual({ id: "x", at: 1 }); // now a hit
    expect(calls).toBe(2);
  });

  it("single-flight across a Redis store too", async () => {
    await requireRedis();
    const prefix = randomPrefix("cached");
    const store = redisStore({ url: REDIS_URL, prefix, logger: quiet });
    try {
      let calls = 0;
      const fn = cached(
        async (n: number) => {
          calls++;
          await new Promise((r) => setTimeout(r, 20));
          return n * 2;
        },
        { store, ttlMs: 60_000, name: "double" },
      );
      const results = await Promise.all(Array.from({ length: 100 }, () => fn(21)));
      expect(results).toEqual(Array(100).fill(42));
      expect(calls).toBe(1);
      expect(await fn(21)).toBe(42);
      expect(calls).toBe(1);
    } finally {
      await store.close();
      await deletePrefix(prefix);
    }
  });

  it("never caches errors: every waiter gets the error, the next call runs again", async () => {
    let calls = 0;
    const flaky = cached(
      async (_id: string) => {
        calls++;
        await new Promise((r) => setTimeout(r, 5));
        if (calls === 1) throw new Error("boom");
        return "ok";
      },
      { store: memoryStore(), ttlMs: 60_000, name: "flaky" },
    );
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => flaky("a")));
    expect(outcomes.every((o) => o.status === "rejected")).toBe(true);
    expect(calls).toBe(1);
    expect(await flaky("a")).toBe("ok");
    expect(await flaky("a")).toBe("ok");
    expect(calls).toBe(2);
  });

  it("does not cache undefined", async () => {
    const fn = vi.fn(async () => undefined);
    const nothing = cached(fn, { store: memoryStore(), ttlMs: 60_000, name: "nothing" });
    await nothing();
    await nothing();
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it("expires results after ttlMs", async () => {
    vi.useFakeTimers();
    const store = memoryStore({ now: () => Date.now() });
    const fn = vi.fn(async (n: number) => n);
    const id = cached(fn, { store, ttlMs: 1000, name: "id" });
    await id(1);
    vi.advanceTimersByTime(500);
    await id(1);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(501);
    await id(1);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it("invalidate(args) drops one result", async () => {
    const fn = vi.fn(async (id: string) => `user ${id}`);
    const user = cached(fn, { store: memoryStore(), ttlMs: 60_000, name: "user" });
    await user("1");
    await user("2");
    await user.invalidate("1");
    await user("1");
    await user("2");
    expect(fn.mock.calls.map((c) => c[0])).toEqual(["1", "2", "1"]);
  });

  it("invalidate() during a call keeps that call's result out of the cache", async () => {
    const gate = deferred<void>();
    let version = 0;
    const read = cached(
      async () => {
        const v = ++version;
        await gate.promise;
        return v;
      },
      { store: memoryStore(), ttlMs: 60_000, name: "read" },
    );
    const first = read();
    await new Promise((r) => setTimeout(r, 5));
    await read.invalidate();
    gate.resolve();
    expect(await first).toBe(1);
    expect(await read()).toBe(2);
  });

  it("invalidateTag() drops every tagged result, across functions sharing the store", async () => {
    const store = memoryStore();
    const profile = vi.fn(async (id: string) => ({ id }));
    const posts = vi.fn(async (id: string) => [`${id}-post`]);
    const getProfile = cached(profile, {
      store,
      ttlMs: 60_000,
      name: "profile",
      tags: (id) => [`user:${id}`],
    });
    const getPosts = cached(posts, {
      store,
      ttlMs: 60_000,
      name: "posts",
      tags: (id) => [`user:${id}`, "posts"],
    });
    await getProfile("1");
    await getProfile("2");
    await getPosts("1");
    await getProfile.invalidateTag("user:1");
    await getProfile("1");
    await getProfile("2");
    await getPosts("1");
    expect(profile.mock.calls.map((c) => c[0])).toEqual(["1", "2", "1"]);
    expect(posts).toHaveBeenCalledTimes(2);
    await getPosts.invalidateTag("posts");
    await getPosts("1");
    await getProfile("1");
    expect(posts).toHaveBeenCalledTimes(3);
    expect(profile).toHaveBeenCalledTimes(3);
  });

  it("a tag invalidated while the call runs makes its result stale at once", async () => {
    const gate = deferred<void>();
    let n = 0;
    const fn = cached(
      async () => {
        n++;
        await gate.promise;
        return n;
      },
      { store: memoryStore(), ttlMs: 60_000, name: "t", tags: ["t"] },
    );
    const first = fn();
    await new Promise((r) => setTimeout(r, 5));
    await fn.invalidateTag("t");
    gate.resolve();
    await first;
    expect(await fn()).toBe(2);
  });

  it("uses a custom key", async () => {
    const fn = vi.fn(async (q: { text: string; page: number }) => q.text);
    const search = cached(fn, {
      store: memoryStore(),
      ttlMs: 60_000,
      name: "search",
      key: (q) => q.text.toLowerCase(),
    });
    await search({ text: "Hello", page: 1 });
    await search({ text: "HELLO", page: 2 });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("keeps functions with different names apart on one store", async () => {
    const store = memoryStore();
    const a = cached(async (x: number) => `a${x}`, { store, ttlMs: 60_000, name: "a" });
    const b = cached(async (x: number) => `b${x}`, { store, ttlMs: 60_000, name: "b" });
    expect(await a(1)).toBe("a1");
    expect(await b(1)).toBe("b1");
  });

  it("calls fn directly when the store is down (tiered store on a dead Redis)", async () => {
    const port = await freePort();
    const store = tieredStore({
      redis: redisStore({ url: `redis://127.0.0.1:${port}`, logger: quiet, connectTimeoutMs: 200 }),
    });
    try {
      const fn = vi.fn(async (n: number) => n + 1);
      const inc = cached(fn, { store, ttlMs: 60_000, name: "inc" });
      expect(await inc(1)).toBe(2);
      expect(await inc(1)).toBe(2);
      expect(fn).toHaveBeenCalledTimes(2);
    } finally {
      await store.close();
    }
  });

  it("deletes a corrupt entry and recomputes", async () => {
    const store = memoryStore();
    const fn = vi.fn(async () => "fresh");
    const get = cached(fn, { store, ttlMs: 60_000, name: "get", key: () => "k" });
    await get();
    // Overwrite the only entry that is not a generation with something that is not an entry.
    const spy = vi.spyOn(store, "get");
    await get();
    const entryKey = spy.mock.calls.map((c) => c[0]).find((k) => k.startsWith("mcpforge:fn:"));
    spy.mockRestore();
    expect(entryKey).toBeDefined();
    await store.set(entryKey as string, { not: "an entry" });
    expect(await get()).toBe("fresh");
    expect(fn).toHaveBeenCalledTimes(2);
    expect(get.stats().corrupt).toBe(1);
    expect(await get()).toBe("fresh");
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it.each([
    [[undefined], /needs \{ store, ttlMs \}/],
    [[{ ttlMs: 1 }], /store must be a CacheStore/],
    [[{ store: memoryStore() }], /needs ttlMs/],
    [[{ store: memoryStore(), ttlMs: 0 }], /ttlMs must be a positive integer/],
    [[{ store: memoryStore(), ttlMs: 1, key: "k" }], /key must be a function/],
    [[{ store: memoryStore(), ttlMs: 1, tags: [1] }], /tags must be/],
  ])("refuses bad options %#", ([options], message) => {
    expect(() => cached(async function named() {}, options as never)).toThrow(message);
  });

  it("needs a name for an anonymous function", () => {
    expect(() =>
      cached(
        (
          () => async () =>
            1
        )(),
        { store: memoryStore(), ttlMs: 1 },
      ),
    ).toThrow(/anonymous function needs options.name/);
  });
});
