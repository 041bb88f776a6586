import { request } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { createServer, type HttpServerHandle, type ListenOptions } from "../src/index.js";
import { ACCEPT, INIT, openSession, raw, rpc, sseEvents } from "./http-helpers.js";

const handles: HttpServerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function app() {
  const a = createServer({ name: "raw", version: "1.0.0", logger: silent });
  a.tool("echo", { description: "Echo", input: { text: z.string() } }, ({ text }) => text);
  a.tool("boom", { description: "Throws" }, () => {
    throw new Error("secret at /srv/app/x.ts:1:2");
  });
  a.tool("chatty", { description: "Notifies" }, async (_x, ctx) => {
    await ctx.log.info(`for ${ctx.requestId}`);
    return "done";
  });
  a.tool("wait", { description: "Waits", input: { ms: z.number() } }, async ({ ms }, ctx) => {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve();
      });
    });
    return ctx.signal.aborted ? "aborted" : "waited";
  });
  a.tool("reconnect", { description: "Closes its stream early" }, async (_x, ctx) => {
    const closed = ctx.closeSSEStream();
    await new Promise((r) => setTimeout(r, 100));
    return closed ? "after reconnect" : "not closed";
  });
  return a;
}

async function start(options: ListenOptions = {}, a = app()) {
  const h = await a.listen({ port: 0, ...options });
  handles.push(h);
  return h;
}

const call = (id: number | string, name: string, args: object = {}) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

describe("HTTP hygiene", () => {
  it("406 without both Accept types, 415 for non-JSON, 405 with Allow for other methods", async () => {
    const h = await start();
    const body = JSON.stringify(INIT);
    const noAccept = await raw(h.url, {
      headers: { "content-type": "application/json", accept: "application/json" },
      body,
    });
    expect(noAccept.status).toBe(406);
    const badType = await raw(h.url, {
      headers: { "content-type": "text/plain", accept: ACCEPT },
      body,
    });
    expect(badType.status).toBe(415);
    const put = await raw(h.url, { method: "PUT", headers: {} });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe("GET, POST, DELETE, OPTIONS");
    const other = await raw(h.url.replace("/mcp", "/other"), { method: "GET" });
    expect(other.status).toBe(404);
  });

  it("413 from Content-Length without reading the body, and as soon as a chunked body crosses the limit", async () => {
    const h = await start({ maxBodyBytes: 1024 });
    const declared = await new Promise<number>((resolve, reject) => {
      const u = new URL(h.url);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: ACCEPT,
            "content-length": "10000000",
          },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on("error", reject);
      req.write("{"); // never sends the rest
    });
    expect(declared).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const u = new URL(h.url);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: ACCEPT,
            "transfer-encoding": "chunked",
          },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on("error", () => {});
      req.write(`{"x":"${"a".repeat(2000)}`); // crosses 1 KiB, never ends
      setTimeout(() => reject(new Error("no 413 while the body was still streaming")), 3000);
    });
    expect(chunked).toBe(413);
  });

  it("400/-32700 for invalid JSON and invalid UTF-8; -32600 for non JSON-RPC, bad ids and an empty batch; deep nesting is harmless", async () => {
    const h = await start({ mode: "stateless" });
    const headers = { "content-type": "application/json", accept: ACCEPT };
    const bad = await raw(h.url, { headers, body: "{nope" });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe(-32700);
    const utf8 = await raw(h.url, {
      headers,
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    expect(JSON.parse(utf8.body).error.code).toBe(-32700);
    for (const body of [
      '{"hello":1}',
      '{"jsonrpc":"2.0","id":{},"method":"ping"}',
      '{"jsonrpc":"1.0","id":1,"method":"ping"}',
      "[]",
    ]) {
      const r = await raw(h.url, { headers, body });
      expect(r.status, body).toBe(400);
      expect(JSON.parse(r.body).error.code, body).toBe(-32600);
    }
    const deep = await raw(h.url, {
      headers,
      body: `${"[".repeat(200_000)}${"]".repeat(200_000)}`,
    });
    // A batch (allowed without MCP-Protocol-Version: 2025-03-26) of one element that is no message.
    expect(deep.status).toBe(200);
    expect(JSON.parse(deep.body)).toEqual([
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: expect.any(String) } },
    ]);
    const deepParams = `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo","arguments":{"text":${"[".repeat(5000)}${"]".repeat(5000)}}}}`;
    const r2 = await raw(h.url, { headers, body: deepParams });
    expect(r2.status).toBe(200);
    expect(JSON.parse(r2.body).result.isError).toBe(true);
    const alive = await rpc(h.url, { jsonrpc: "2.0", id: 1, method: "ping" });
    expect(JSON.parse(alive.body)).toEqual({ jsonrpc: "2.0", id: 1, result: {} });
  });

  it("400 for an unsupported MCP-Protocol-Version; absent or any supported version is accepted", async () => {
    const h = await start();
    const sid = await openSession(h.url);
    const ping = { jsonrpc: "2.0", id: 2, method: "ping" };
    expect(
      (await rpc(h.url, ping, { "mcp-session-id": sid, "mcp-protocol-version": "1999-01-01" }))
        .status,
    ).toBe(400);
    expect(
      (await rpc(h.url, ping, { "mcp-session-id": sid, "mcp-protocol-version": "2025-03-26" }))
        .status,
    ).toBe(200);
    expect((await rpc(h.url, ping, { "mcp-session-id": sid })).status).toBe(200);
  });

  it("error bodies never carry stack frames, paths or internal messages", async () => {
    const h = await start({ mode: "stateless" });
    const r = await rpc(h.url, call(1, "boom"));
    expect(r.body).not.toMatch(/secret|\/srv|x\.ts|\bat\b/);
    expect(JSON.parse(r.body).result.content[0].text).toMatch(/^Internal error \(correlation id: /);
    const notFound = await raw(h.url.replace("/mcp", "/nope"), { method: "GET" });
    expect(notFound.body).not.toMatch(/\/work|node_modules|Error:/);
  });
});

describe("secure defaults", () => {
  it("403 for a non-loopback Host or a foreign Origin; loopback Host and matching Origin pass", async () => {
    const h = await start();
    const evil = await rpc(h.url, INIT, {
      host: "evil.example.com",
      origin: "http://evil.example.com",
    });
    expect(evil.status).toBe(403);
    const evilOrigin = await rpc(h.url, INIT, { origin: "http://evil.example.com" });
    expect(evilOrigin.status).toBe(403);
    for (const host of [`localhost:${h.port}`, `127.0.0.1:${h.port}`, `[::1]:${h.port}`]) {
      const ok = await rpc(h.url, INIT, { host, origin: `http://${host}` });
      expect(ok.status, host).toBe(200);
    }
  });

  it("honours allowedHosts and allowedOrigins", async () => {
    const h = await start({
      allowedHosts: ["mcp.example.com"],
      allowedOrigins: ["https://app.example.com"],
    });
    expect((await rpc(h.url, INIT, { host: "mcp.example.com" })).status).toBe(200);
    expect((await rpc(h.url, INIT, { host: `127.0.0.1:${h.port}` })).status).toBe(403);
    expect(
      (await rpc(h.url, INIT, { host: "mcp.example.com", origin: "https://app.example.com" }))
        .status,
    ).toBe(200);
    expect(
      (await rpc(h.url, INIT, { host: "mcp.example.com", origin: "https://other.example.com" }))
        .status,
    ).toBe(403);
  });

  it("refuses to bind a non-loopback address without allowedHosts or auth, unless explicitly unsafe", async () => {
    await expect(app().listen({ host: "0.0.0.0", port: 0 })).rejects.toThrow(
      /refusing to bind 0\.0\.0\.0.*allowedHosts/,
    );
    const h = await start({ host: "0.0.0.0", allowedHosts: ["localhost"] });
    expect(h.port).toBeGreaterThan(0);
  });

  it("CORS from an allow-list: preflight lists MCP headers, responses expose Mcp-Session-Id, never * with credentials", async () => {
    const h = await start({ cors: { origins: ["https://app.example.com"], credentials: true } });
    const pre = await raw(h.url, {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(pre.headers["access-control-allow-headers"]).toMatch(/Mcp-Session-Id/);
    expect(pre.headers["access-control-allow-headers"]).toMatch(/Mcp-Protocol-Version/);
    expect(pre.headers["access-control-allow-credentials"]).toBe("true");
    const r = await rpc(h.url, INIT, { origin: "https://app.example.com" });
    expect(r.headers["access-control-expose-headers"]).toMatch(/Mcp-Session-Id/);
    const foreign = await raw(h.url, {
      method: "OPTIONS",
      headers: { origin: "https://x.example.com" },
    });
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
    await expect(
      app().listen({ port: 0, cors: { origins: ["*"], credentials: true } }),
    ).rejects.toThrow(/"\*"/);
  });
});

describe("stateful sessions", () => {
  it("issues CSPRNG session ids; 400 without one, 404 for unknown or ended sessions", async () => {
    const h = await start();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add(await openSession(h.url));
    expect(ids.size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^[\x21-\x7e]{32,}$/);
    const ping = { jsonrpc: "2.0", id: 5, method: "ping" };
    expect((await rpc(h.url, ping)).status).toBe(400);
    expect((await rpc(h.url, ping, { "mcp-session-id": "nope" })).status).toBe(404);
    const [first] = [...ids];
    const del = await raw(h.url, {
      method: "DELETE",
      headers: { "mcp-session-id": first as string },
    });
    expect(del.status).toBe(200);
    expect((await rpc(h.url, ping, { "mcp-session-id": first as string })).status).toBe(404);
  });

  it("DELETE aborts the session's in-flight handlers", async () => {
    const h = await start();
    const sid = await openSession(h.url);
    const pending = rpc(h.url, call(7, "wait", { ms: 10_000 }), { "mcp-session-id": sid });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await raw(h.url, { method: "DELETE", headers: { "mcp-session-id": sid } });
    const r = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.status).not.toBe(200);
  });

  it("reaps idle sessions and frees their state", async () => {
    const a = app();
    const h = await start({ sessionIdleTimeoutMs: 100 }, a);
    const sid = await openSession(h.url);
    expect(a.sessions.size).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    h.handler.reap();
    await new Promise((r) => setTimeout(r, 10));
    expect(a.sessions.size).toBe(0);
    expect(h.handler.sessionCount).toBe(0);
    expect(
      (await rpc(h.url, { jsonrpc: "2.0", id: 1, method: "ping" }, { "mcp-session-id": sid }))
        .status,
    ).toBe(404);
  });

  it("caps open sessions with 503 + Retry-After; freeing one admits a new one; memory structures return to empty", async () => {
    const a = app();
    const h = await start({ maxSessions: 3 }, a);
    const ids = [await openSession(h.url), await openSession(h.url), await openSession(h.url)];
    const over = await rpc(h.url, INIT);
    expect(over.status).toBe(503);
    expect(over.headers["retry-after"]).toBeDefined();
    await raw(h.url, { method: "DELETE", headers: { "mcp-session-id": ids[0] as string } });
    expect((await rpc(h.url, INIT)).status).toBe(200);
    await h.handler.close();
    expect(a.sessions.size).toBe(0);
    expect(h.handler.sessionCount).toBe(0);
  });

  it("answers 3 concurrent POSTs in one session", async () => {
    const h = await start({ responseMode: "sse" });
    const sid = await openSession(h.url);
    const rs = await Promise.all(
      [1, 2, 3].map((i) =>
        rpc(h.url, call(10 + i, "echo", { text: `m${i}` }), { "mcp-session-id": sid }),
      ),
    );
    rs.forEach((r, i) => {
      expect(r.status).toBe(200);
      const events = sseEvents(r.body).filter((e) => e.data);
      expect(JSON.parse(events.at(-1)!.data).result.content[0].text).toBe(`m${i + 1}`);
    });
  });

  it("streams notifications before the result on SSE; JSON mode answers plain JSON", async () => {
    const auto = await start();
    const sid = await openSession(auto.url);
    const chatty = await rpc(auto.url, call(3, "chatty"), { "mcp-session-id": sid });
    expect(chatty.headers["content-type"]).toMatch(/text\/event-stream/);
    const data = sseEvents(chatty.body)
      .filter((e) => e.data)
      .map((e) => JSON.parse(e.data));
    expect(data.map((m) => m.method ?? "result")).toEqual(["notifications/message", "result"]);
    const quiet = await rpc(auto.url, call(4, "echo", { text: "x" }), { "mcp-session-id": sid });
    expect(quiet.headers["content-type"]).toBe("application/json");
    const json = await start({ responseMode: "json" });
    const sid2 = await openSession(json.url);
    const r = await rpc(json.url, call(3, "chatty"), { "mcp-session-id": sid2 });
    expect(r.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(r.body).result.content[0].text).toBe("done");
  });

  it("primes SSE streams, lets a tool close its stream early, and resumes with Last-Event-ID on that stream only", async () => {
    const h = await start();
    const sid = await openSession(h.url);
    const first = await rpc(h.url, call(21, "reconnect"), {
      "mcp-session-id": sid,
      "mcp-protocol-version": "2025-11-25",
    });
    expect(first.headers["content-type"]).toMatch(/text\/event-stream/);
    const events = sseEvents(first.body);
    expect(events).toHaveLength(1);
    expect(events[0]?.retry).toBe("1000");
    expect(events[0]?.data).toBe("");
    const primingId = events[0]?.id as string;
    expect(primingId).toBeTruthy();
    const resumed = await raw(h.url, {
      method: "GET",
      headers: { accept: "text/event-stream", "mcp-session-id": sid, "last-event-id": primingId },
      until: (b) => b.includes('"result"'),
    });
    const got = sseEvents(resumed.body)
      .filter((e) => e.data)
      .map((e) => JSON.parse(e.data));
    expect(got).toEqual([
      { jsonrpc: "2.0", id: 21, result: { content: [{ type: "text", text: "after reconnect" }] } },
    ]);
    const other = await openSession(h.url);
    const foreign = await raw(h.url, {
      method: "GET",
      headers: { accept: "text/event-stream", "mcp-session-id": other, "last-event-id": primingId },
    });
    expect(foreign.status).toBe(404);
  });

  it("refuses to close a stream that cannot be resumed (older protocol, JSON mode)", async () => {
    const h = await start();
    const init = await rpc(h.url, {
      ...INIT,
      params: { ...INIT.params, protocolVersion: "2025-06-18" },
    });
    const sid = init.headers["mcp-session-id"] as string;
    const old = await rpc(h.url, call(5, "reconnect"), { "mcp-session-id": sid });
    expect(JSON.parse(old.body).result.content[0].text).toBe("not closed");
    const json = await start({ responseMode: "json" });
    const sid2 = await openSession(json.url);
    const r = await rpc(json.url, call(6, "reconnect"), { "mcp-session-id": sid2 });
    expect(r.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(r.body).result.content[0].text).toBe("not closed");
  });

  it("sends keep-alive comments on idle streams and allows one standalone GET stream", async () => {
    const h = await start({ keepAliveMs: 30 });
    const sid = await openSession(h.url);
    let second = 0;
    let asked = false;
    const r = await raw(h.url, {
      method: "GET",
      headers: { accept: "text/event-stream", "mcp-session-id": sid },
      until: (b) => {
        if (!asked) {
          asked = true;
          void raw(h.url, {
            method: "GET",
            headers: { accept: "text/event-stream", "mcp-session-id": sid },
          }).then((x) => {
            second = x.status;
          });
        }
        return second !== 0 && b.split(": keep-alive").length > 2;
      },
    });
    expect(second).toBe(409);
    expect(r.status).toBe(200);
    expect(r.body).toContain(": keep-alive");
  });
});

describe("stateless mode", () => {
  it("has no session id; GET and DELETE are 405", async () => {
    const h = await start({ mode: "stateless" });
    const init = await rpc(h.url, INIT);
    expect(init.status).toBe(200);
    expect(init.headers["mcp-session-id"]).toBeUndefined();
    expect(JSON.parse(init.body).result.protocolVersion).toBe("2025-11-25");
    expect(
      (await raw(h.url, { method: "GET", headers: { accept: "text/event-stream" } })).status,
    ).toBe(405);
    expect((await raw(h.url, { method: "DELETE" })).status).toBe(405);
  });

  it("gives concurrent clients that reuse JSON-RPC ids their own responses and notifications", async () => {
    const h = await start({ mode: "stateless" });
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rpc(h.url, i % 2 ? call(1, "echo", { text: `c${i}` }) : call(1, "chatty")),
      ),
    );
    rs.forEach((r, i) => {
      if (i % 2) {
        expect(JSON.parse(r.body).result.content[0].text).toBe(`c${i}`);
      } else {
        const msgs = sseEvents(r.body)
          .filter((e) => e.data)
          .map((e) => JSON.parse(e.data));
        expect(msgs).toHaveLength(2);
        expect(msgs[0].params.data).toBe("for 1");
        expect(msgs[1].result.content[0].text).toBe("done");
      }
    });
  });
});

describe("a stateless client that goes away mid-call", () => {
  /** A tool that waits for the test, reading ctx.signal before it waits or only after. */
  function gated() {
    const a = createServer({ name: "gone", version: "1.0.0", logger: silent });
    const started: (() => void)[] = [];
    const gates: (() => void)[] = [];
    const seen: string[] = [];
    a.tool("gated", { input: { early: z.boolean() } }, async ({ early }, ctx) => {
      const signal = early ? ctx.signal : undefined;
      await new Promise<void>((release) => {
        gates.push(release);
        started.shift()?.();
      });
      seen.push(`${early ? "early" : "late"}:${(signal ?? ctx.signal).aborted}`);
      return "done";
    });
    const whenStarted = () => new Promise<void>((r) => started.push(r));
    return { a, gates, seen, whenStarted };
  }

  /** POSTs a call on a raw socket; resolves with the socket once the tool has started. */
  async function postAndWait(url: string, body: object, whenStarted: () => Promise<void>) {
    const u = new URL(url);
    const text = JSON.stringify(body);
    const socket = connect(Number(u.port), u.hostname);
    socket.on("error", () => {});
    const running = whenStarted();
    socket.write(
      `POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\n` +
        `Accept: ${ACCEPT}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
    await running;
    return socket;
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  };

  it("aborts the handler's signal whether it was read before the client left or only after; the answer is dropped", async () => {
    const { a, gates, seen, whenStarted } = gated();
    const h = await start({ mode: "stateless" }, a);
    for (const early of [true, false]) {
      const socket = await postAndWait(h.url, call(1, "gated", { early }), whenStarted);
      socket.destroy();
      await new Promise((r) => setTimeout(r, 50)); // the server sees the connection close
      gates.shift()?.();
      await until(() => h.handler.inflight === 0);
      expect(h.handler.inflight).toBe(0);
    }
    expect(seen).toEqual(["early:true", "late:true"]);
    // a client that stays gets its answer, and the signal is not aborted
    const answer = rpc(h.url, call(2, "gated", { early: false }));
    await until(() => gates.length === 1);
    gates.shift()?.();
    const r = await answer;
    expect(JSON.parse(r.body).result.content[0].text).toBe("done");
    expect(seen[2]).toBe("late:false");
  });

  it("calls a ctx.onAbort() listener when the client leaves (no signal read)", async () => {
    const a = createServer({ name: "gone", version: "1.0.0", logger: silent });
    const reasons: string[] = [];
    let release: (() => void) | undefined;
    const started: (() => void)[] = [];
    a.tool("listening", {}, async (_args, ctx) => {
      ctx.onAbort((reason) => reasons.push((reason as Error).name));
      await new Promise<void>((r) => {
        release = r;
        started.shift()?.();
      });
      return "done";
    });
    const h = await start({ mode: "stateless" }, a);
    const whenStarted = () => new Promise<void>((r) => started.push(r));
    const socket = await postAndWait(h.url, call(1, "listening", {}), whenStarted);
    socket.destroy();
    await until(() => reasons.length > 0);
    expect(reasons).toEqual(["AbortError"]);
    release?.();
    await until(() => h.handler.inflight === 0);
    expect(h.handler.inflight).toBe(0);
  });
});

describe("routes", () => {
  it("serves app.route() handlers next to /mcp, behind the Host check", async () => {
    const a = app();
    a.route("GET", "/healthz", (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
    const h = await start({}, a);
    const ok = await raw(h.url.replace("/mcp", "/healthz"), { method: "GET" });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe("ok");
    const evil = await raw(h.url.replace("/mcp", "/healthz"), {
      method: "GET",
      headers: { host: "evil.example.com" },
    });
    expect(evil.status).toBe(403);
  });
});

describe("graceful shutdown", () => {
  it("lets in-flight calls finish, answers calls past the deadline with an error, then stops accepting", async () => {
    const a = app();
    const h = await a.listen({ port: 0, shutdownTimeoutMs: 500 });
    expect(a.ready).toBe(true);
    const sid = await openSession(h.url);
    const quick = rpc(h.url, call(1, "wait", { ms: 200 }), { "mcp-session-id": sid });
    const slow = rpc(h.url, call(2, "wait", { ms: 60_000 }), { "mcp-session-id": sid });
    await new Promise((r) => setTimeout(r, 50));
    const closing = h.close();
    expect(a.ready).toBe(false);
    const [q, s] = await Promise.all([quick, slow]);
    expect(JSON.parse(q.body).result.content[0].text).toBe("waited");
    expect(JSON.parse(s.body).error).toEqual({ code: -32010, message: "Server is shutting down" });
    await closing;
    await expect(rpc(h.url, INIT)).rejects.toThrow();
  });
});

describe("cancellation over HTTP", () => {
  it("a cancelled call's answer ends at once (no response), so it holds no socket and does not delay shutdown", async () => {
    const a = app();
    const h = await a.listen({ port: 0, shutdownTimeoutMs: 20_000 });
    const sid = await openSession(h.url);
    const pending = rpc(h.url, call(5, "wait", { ms: 60_000 }), { "mcp-session-id": sid });
    await new Promise((r) => setTimeout(r, 100));
    expect(h.handler.inflight).toBe(1);
    const cancel = await rpc(
      h.url,
      {
        jsonrpc: "2.0",
        method: "notifications/cancelled",
        params: { requestId: 5, reason: "user" },
      },
      { "mcp-session-id": sid },
    );
    expect(cancel.status).toBe(202);
    const answer = await pending;
    expect(answer.status).toBe(202);
    expect(answer.body).toBe("");
    expect(h.handler.inflight).toBe(0);
    const started = Date.now();
    await h.close();
    expect(Date.now() - started).toBeLessThan(5_000); // not the 20 s drain deadline
  });
});

describe("what each request sees during shutdown", () => {
  it("received requests are served; new connections are refused; a request that reaches an open connection afterwards gets 503 + -32010", async () => {
    const a = app();
    const h = await a.listen({ port: 0, shutdownTimeoutMs: 2_000 });
    const sid = await openSession(h.url);
    const post = (message: unknown) => {
      const body = JSON.stringify(message);
      return `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMcp-Session-Id: ${sid}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    // One connection: a slow call, then a second request pipelined behind it.
    const socket = connect(h.port, "127.0.0.1");
    let answer = "";
    socket.on("data", (d) => {
      answer += d.toString();
    });
    await new Promise<void>((r) => socket.once("connect", () => r()));
    socket.write(post(call(1, "wait", { ms: 500 })));
    await new Promise((r) => setTimeout(r, 100));
    const closing = h.close();
    socket.write(post(call(2, "echo", { text: "late" }))); // sent after shutdown began
    // A brand-new connection during the drain is refused.
    await expect(rpc(h.url, INIT)).rejects.toThrow();
    await new Promise<void>((r) => socket.once("close", () => r()));
    const [first, second] = answer.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(first).toContain("waited");
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second).toMatch(/retry-after: 5/i);
    expect(second).toContain('"code":-32010');
    expect(second).toContain("Server is shutting down");
    await closing;
  });
});

describe("HTTP hooks", () => {
  it("useHttp() can refuse requests, authenticate them into ctx.auth, and binds sessions to their principal", async () => {
    const a = app();
    a.tool(
      "whoami",
      { description: "Principal" },
      (_x, ctx) => `${ctx.auth?.clientId ?? "nobody"}@${ctx.http?.remoteAddress ?? "?"}`,
    );
    a.tool("timed", { description: "Sets a response header" }, (_x, ctx) => {
      ctx.setResponseHeader("server-timing", "tool;dur=1.5");
      return "ok";
    });
    a.useHttp((req, res) => {
      const key = req.headers["x-api-key"];
      if (key !== "alice-key" && key !== "bob-key") {
        res.writeHead(401, { "www-authenticate": "ApiKey" }).end();
        return true;
      }
      req.auth = { token: "", clientId: key === "alice-key" ? "alice" : "bob", scopes: [] };
      return undefined;
    });
    const h = await start({}, a);
    expect((await rpc(h.url, INIT)).status).toBe(401);
    const alice = { "x-api-key": "alice-key" };
    const init = await rpc(h.url, INIT, alice);
    const sid = init.headers["mcp-session-id"] as string;
    const who = await rpc(h.url, call(2, "whoami"), { ...alice, "mcp-session-id": sid });
    expect(JSON.parse(who.body).result.content[0].text).toBe("alice@127.0.0.1");
    const timed = await rpc(h.url, call(3, "timed"), { ...alice, "mcp-session-id": sid });
    expect(timed.headers["server-timing"]).toBe("tool;dur=1.5");
    const stolen = await rpc(h.url, call(4, "whoami"), {
      "x-api-key": "bob-key",
      "mcp-session-id": sid,
    });
    expect(stolen.status).toBe(404);
  });
});

describe("request ids", () => {
  it("refuses a request id that is already in flight in the session, and leaks nothing", async () => {
    const h = await start();
    const sid = await openSession(h.url);
    const first = rpc(h.url, call(7, "wait", { ms: 200 }), { "mcp-session-id": sid });
    await new Promise((r) => setTimeout(r, 50));
    const dup = await rpc(h.url, call(7, "wait", { ms: 1 }), { "mcp-session-id": sid });
    expect(dup.status).toBe(400);
    expect(JSON.parse(dup.body).error.code).toBe(-32600);
    expect(JSON.parse((await first).body).result.content[0].text).toBe("waited");
    expect(h.handler.inflight).toBe(0);
  });
});

describe("which POST opens a session", () => {
  it("refuses an initialize that carries a session id, and opens none for an invalid one", async () => {
    const h = await start();
    const id = await openSession(h.url);
    const again = await rpc(h.url, INIT, { "mcp-session-id": id });
    expect(again.status).toBe(400);
    expect(again.body).toContain("initialize must not carry a session id");
    expect(again.headers["mcp-session-id"]).toBeUndefined();
    // no clientInfo: not a valid initialize, so it is a message for a session it does not name
    const invalid = await rpc(h.url, { ...INIT, params: { protocolVersion: "2025-11-25" } });
    expect(invalid.status).toBe(400);
    expect(invalid.headers["mcp-session-id"]).toBeUndefined();
    const valid = await rpc(h.url, INIT);
    expect(valid.status).toBe(200);
    expect(typeof valid.headers["mcp-session-id"]).toBe("string");
  });
});
