import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryEventStore } from "./event-store.js";

const note = (text: string): JSONRPCMessage => ({
  jsonrpc: "2.0",
  method: "notifications/message",
  params: { level: "info", data: text },
});

async function replay(store: ReturnType<typeof memoryEventStore>, after: string) {
  const seen: string[] = [];
  const stream = await store.replayEventsAfter(after, (_id, m) => {
    seen.push("params" in m && m.params ? String((m.params as Record<string, unknown>).data) : "");
  });
  return { stream, seen };
}

describe("memoryEventStore", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("drops a stream once its final response reached the client", async () => {
    const store = memoryEventStore();
    const first = store.storeEvent("s1.1", undefined);
    store.storeEvent("s1.1", note("a"));
    expect(store.stats()).toMatchObject({ streams: 1, events: 2 });
    store.streamDone("s1.1", true);
    expect(store.stats()).toMatchObject({ streams: 0, events: 0, bytes: 0, released: 1 });
    expect((await replay(store, first)).stream).toBeUndefined();
  });

  it("keeps a stream whose client was away at the end, for disconnectedRetentionMs", async () => {
    const store = memoryEventStore({ disconnectedRetentionMs: 60_000 });
    const first = store.storeEvent("s1.1", undefined);
    store.storeEvent("s1.1", note("a"));
    store.storeEvent("s1.1", note("final"));
    store.streamDone("s1.1", false);
    vi.advanceTimersByTime(59_000);
    expect(await replay(store, first)).toEqual({ stream: "s1.1", seen: ["a", "final"] });
    vi.advanceTimersByTime(2_000);
    expect((await replay(store, first)).stream).toBeUndefined();
    expect(store.stats().evicted.expired).toBe(1);
  });

  it("keeps a delivered stream for completedRetentionMs when asked", async () => {
    const store = memoryEventStore({ completedRetentionMs: 1_000 });
    const first = store.storeEvent("s1.1", undefined);
    store.storeEvent("s1.1", note("a"));
    store.streamDone("s1.1", true);
    expect((await replay(store, first)).seen).toEqual(["a"]);
    vi.advanceTimersByTime(1_001);
    expect(store.stats().streams).toBe(0);
  });

  it("holds every session within one byte budget, evicting the oldest finished streams first", () => {
    const store = memoryEventStore({
      maxBytes: 20_000,
      maxBytesPerSession: 1_000_000,
      disconnectedRetentionMs: 3_600_000,
    });
    const big = "x".repeat(900);
    for (let s = 0; s < 40; s++) {
      store.storeEvent(`sess${s}.1`, note(big));
      store.streamDone(`sess${s}.1`, false); // finished while away: retained, evictable
    }
    const stats = store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(20_000);
    expect(stats.evicted.budget).toBeGreaterThan(0);
    expect(stats.streams).toBeLessThan(40);
  });

  it("prefers finished streams over open ones when the budget is exceeded", async () => {
    const store = memoryEventStore({
      maxBytes: 5_000,
      maxBytesPerSession: 1_000_000,
      disconnectedRetentionMs: 3_600_000,
    });
    const open = store.storeEvent("open.1", note("x".repeat(1000)));
    for (let i = 0; i < 10; i++) {
      store.storeEvent(`done${i}.1`, note("y".repeat(1000)));
      store.streamDone(`done${i}.1`, false);
    }
    store.storeEvent("open.1", note("still here"));
    expect((await replay(store, open)).seen).toEqual(["still here"]);
  });

  it("caps each session, evicting its oldest streams first", async () => {
    const store = memoryEventStore({ maxBytesPerSession: 3_000 });
    const firstOfOld = store.storeEvent("a.1", note("z".repeat(1000)));
    store.storeEvent("a.2", note("z".repeat(1000)));
    const other = store.storeEvent("b.1", note("other session"));
    store.storeEvent("a.3", note("z".repeat(1000)));
    store.storeEvent("a.4", note("z".repeat(1000)));
    expect((await replay(store, firstOfOld)).stream).toBeUndefined();
    expect(store.stats().evicted.session).toBeGreaterThan(0);
    expect((await replay(store, other)).stream).toBe("b.1"); // another session is untouched
  });

  it("caps events per stream", () => {
    const store = memoryEventStore({ maxEventsPerStream: 5 });
    for (let i = 0; i < 12; i++) store.storeEvent("s.get", note(String(i)));
    expect(store.stats()).toMatchObject({ events: 5 });
    expect(store.stats().evicted.stream).toBe(7);
  });

  it("forgets a session's streams at once", () => {
    const store = memoryEventStore();
    store.storeEvent("abc.1", note("1"));
    store.storeEvent("abc.get", note("2"));
    store.storeEvent("xyz.1", note("3"));
    store.forget("abc.");
    expect(store.stats().streams).toBe(1);
  });

  it("refuses bad options", () => {
    expect(() => memoryEventStore({ maxBytes: 0 })).toThrow(/maxBytes must be a positive number/);
    expect(() => memoryEventStore({ completedRetentionMs: -1 })).toThrow(/non-negative/);
  });
});
