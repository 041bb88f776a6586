import { describe, expect, it } from "vitest";
import { memoryEventStore } from "./event-store.js";
import type { Reply } from "./reply.js";
import { HttpSessionTransport, type SessionOwner } from "./session-transport.js";

const owner: SessionOwner = {
  store: memoryEventStore(),
  keepAliveMs: 15_000,
  transportClosed: () => {},
};
// routing only compares identities: any distinct objects stand in for answers here
const answer = (name: string) => ({ name }) as unknown as Reply;

describe("HttpSessionTransport's open answers", () => {
  it("routes by request id, one in a slot and the others in a map", () => {
    const t = new HttpSessionTransport("s1", owner);
    const a = answer("a");
    const b = answer("b");
    const c = answer("c");
    t.setReply(1, a);
    t.setReply("2", b);
    t.setReply(3, c);
    expect([t.reply(1), t.reply("2"), t.reply(3), t.replyCount]).toEqual([a, b, c, 3]);
    expect(t.hasReply("1")).toBe(false);
    t.deleteReply(1, b); // not its answer: kept
    expect(t.reply(1)).toBe(a);
    t.deleteReply(1);
    t.deleteReply("2", b);
    expect([t.reply(1), t.reply("2"), t.replyCount]).toEqual([undefined, undefined, 1]);
  });

  it("a request id answered again goes to its newest answer only", () => {
    const t = new HttpSessionTransport("s1", owner);
    const first = answer("first");
    const other = answer("other");
    const again = answer("again");
    t.setReply(1, first);
    t.setReply(2, other); // in the map
    t.deleteReply(1);
    t.setReply(2, again); // into the slot: the map's older entry must go
    expect(t.reply(2)).toBe(again);
    expect(t.replyCount).toBe(1);
    t.deleteReply(2);
    expect(t.reply(2)).toBeUndefined();
    expect(t.replyCount).toBe(0);
  });
});
