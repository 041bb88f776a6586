import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { JSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { memoryEventStore } from "./event-store.js";
import { Reply } from "./reply.js";
import { SessionPost } from "./session-post.js";
import type { SessionEntry } from "./session-table.js";
import { HttpSessionTransport } from "./session-transport.js";

const store = memoryEventStore();

function entryOf(id: string): SessionEntry {
  const transport = new HttpSessionTransport(id, {
    store,
    keepAliveMs: 15_000,
    transportClosed: () => {},
  });
  return {
    id,
    transport,
    session: undefined,
    lastSeen: 0,
    protocolVersion: "2025-11-25",
    streams: 0,
    principal: undefined,
  };
}

/** Runs `handle` on one real POST and returns the raw answer body. */
async function onePost(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<string>((resolve, reject) => {
      const req = request({ port, host: "127.0.0.1", method: "POST" }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c.toString("utf8");
        });
        res.on("end", () => resolve(body));
      });
      req.on("error", reject);
      req.end("{}");
    });
  } finally {
    await new Promise((r) => server.close(r));
  }
}

const call = (id: number): JSONRPCRequest => ({ jsonrpc: "2.0", id, method: "tools/call" });
const settings = { responseMode: "auto" as const, retryMs: 1000, keepAliveMs: 15_000 };

/** A POST of request `id` to `entry`, with its reply on `res`, routed by the session. */
function openPost(
  entry: SessionEntry,
  req: IncomingMessage,
  res: ServerResponse | undefined,
  id: number,
  inflight = new Set<Reply>(),
): SessionPost {
  const post = new SessionPost({ ...settings, inflight }, entry, req, [call(id)], undefined, store);
  if (!res) return post;
  post.reply = new Reply(res, id, post);
  inflight.add(post.reply);
  entry.transport.setReply(id, post.reply);
  return post;
}

describe("SessionPost", () => {
  it("numbers its stream when made, registers it once it streams, and forgets it when done", async () => {
    const entry = entryOf("s1");
    const inflight = new Set<Reply>();
    let streaming: [Reply | undefined, string] = [undefined, ""];
    const body = await onePost((req, res) => {
      const earlier = openPost(entry, req, undefined, 1);
      const post = openPost(entry, req, res, 2, inflight);
      expect([earlier.streamId, post.streamId, entry.streams]).toEqual(["s1.1", "s1.2", 2]);
      // a notification first: the answer becomes a resumable SSE stream under its id
      void entry.transport
        .send({ jsonrpc: "2.0", method: "notifications/progress" }, { relatedRequestId: 2 })
        .then(() => {
          streaming = [
            entry.transport.stream("s1.2"),
            post.responseHeaders["mcp-session-id"] ?? "",
          ];
          return entry.transport.send({ jsonrpc: "2.0", id: 2, result: {} });
        });
    });
    expect(body).toContain('"notifications/progress"');
    expect(body).toContain('"result":{}');
    expect(streaming[0]).toBeInstanceOf(Reply);
    expect(streaming[1]).toBe("s1");
    // done: no stream, no route, no answer in flight, and the session was touched
    expect(entry.transport.stream("s1.2")).toBeUndefined();
    expect(entry.transport.hasReply(2)).toBe(false);
    expect(inflight.size).toBe(0);
    expect(entry.lastSeen).toBeGreaterThan(0);
  });

  it("gives the same closeSSEStream on every read, and it closes a primed stream", async () => {
    const entry = entryOf("s2");
    let closed: boolean | undefined;
    let same = false;
    const body = await onePost((req, res) => {
      const post = openPost(entry, req, res, 7);
      const first = post.closeSSEStream;
      same = first === post.closeSSEStream;
      closed = post.closeSSEStream();
    });
    expect(same).toBe(true);
    expect(closed).toBe(true);
    // the primed stream ended early, its id being the one the client resumes from
    expect(body).toMatch(/^id: s2\.1_/m);
    expect(entry.transport.stream("s2.1")).toBeDefined();
  });
});
