import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type HttpServerHandle, memoryEventStore } from "../src/index.js";
import { openSession, raw, rpc, sseEvents } from "./http-helpers.js";

const handles: HttpServerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
});
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe("event retention over HTTP", () => {
  it("a GET stream left open on an abandoned session is closed when the session is reaped", async () => {
    const app = createServer({ name: "reap", version: "1", logger: silent });
    const h = await app.listen({ port: 0, sessionIdleTimeoutMs: 300 });
    handles.push(h);
    const sid = await openSession(h.url);
    const u = new URL(h.url);
    const ended = await new Promise<number>((resolve, reject) => {
      const started = Date.now();
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: "GET",
          headers: { accept: "text/event-stream", "mcp-session-id": sid },
        },
        (res) => {
          expect(res.statusCode).toBe(200);
          res.resume();
          res.on("end", () => resolve(Date.now() - started));
          res.on("close", () => resolve(Date.now() - started));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(ended).toBeLessThan(10_000);
    expect(h.handler.sessionCount).toBe(0);
  });

  it("a client that left mid-call resumes with Last-Event-ID after the call finished; a delivered stream is released", async () => {
    const events = memoryEventStore({ disconnectedRetentionMs: 60_000 });
    const app = createServer({ name: "resume", version: "1", logger: silent });
    app.tool("slow", { description: "Logs, waits, answers" }, async (_a, ctx) => {
      await ctx.log.info("started");
      await new Promise((r) => setTimeout(r, 300));
      await ctx.log.info("almost");
      return "finished";
    });
    const h = await app.listen({ port: 0, eventStore: events });
    handles.push(h);
    const sid = await openSession(h.url);
    const call = {
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "slow", arguments: {} },
    };
    // Leave as soon as the first log line arrives.
    const cut = await rpc(h.url, call, { "mcp-session-id": sid }, (body) =>
      body.includes("started"),
    );
    const seen = sseEvents(cut.body).filter((e) => e.id);
    const last = seen.at(-1)?.id as string;
    await new Promise((r) => setTimeout(r, 600)); // the call finishes while the client is away
    expect(h.handler.stats().events?.streams).toBeGreaterThanOrEqual(1);
    const resumed = await raw(h.url, {
      method: "GET",
      headers: { accept: "text/event-stream", "mcp-session-id": sid, "last-event-id": last },
    });
    const data = sseEvents(resumed.body)
      .filter((e) => e.data)
      .map((e) => JSON.parse(e.data));
    expect(data.map((m) => m.params?.data ?? m.result?.content?.[0]?.text)).toEqual([
      "almost",
      "finished",
    ]);

    const before = events.stats().released;
    const whole = await rpc(h.url, { ...call, id: 8 }, { "mcp-session-id": sid });
    expect(whole.body).toContain("finished");
    expect(events.stats().released).toBe(before + 1);
  });
});
