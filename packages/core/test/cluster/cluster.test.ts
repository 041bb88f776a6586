import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import type { HttpServerHandle } from "../../src/index.js";
import {
  mcpHeaders,
  openRawSession,
  postRpc,
  readSse,
  resumeStream,
  sdkClient,
  slowCall,
  until,
  useCluster,
} from "./harness.js";

const text = (r: unknown) =>
  ((r as { content: { text: string }[] }).content[0] as { text: string }).text;

describe("redisSessions(): one session served by three instances (round-robin, no stickiness)", () => {
  const cluster = useCluster("cluster", ["i0", "i1", "i2"]);
  const { trace } = cluster;

  it("spreads one session's requests over every instance", async () => {
    const { client } = await sdkClient(cluster.lb.url);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add(text(await client.callTool({ name: "where" })));
    expect(seen).toEqual(new Set(["i0", "i1", "i2"]));
    await client.close();
  });

  it("samples and elicits: the client's answer, POSTed to another instance, resolves the call", async () => {
    const { client } = await sdkClient(cluster.lb.url);
    for (let i = 0; i < 3; i++) {
      expect(text(await client.callTool({ name: "ask" }))).toBe(
        'sampled: echo {"type":"text","text":"hi"}',
      );
      expect(text(await client.callTool({ name: "form" }))).toBe('accept: {"name":"Ada"}');
    }
    await client.close();
  });

  it("streams progress and logs, honouring a log level set on another instance", async () => {
    const { client } = await sdkClient(cluster.lb.url);
    const progress: string[] = [];
    const logs: unknown[] = [];
    client.setNotificationHandler(
      LoggingMessageNotificationSchema,
      (n) => void logs.push(n.params.data),
    );
    await client.callTool({ name: "chatty" }, undefined, {
      onprogress: (p) => void progress.push(String(p.message)),
    });
    expect(progress).toEqual(["half", "done"]);
    expect(logs).toEqual(["info line", "error line"]);
    await client.setLoggingLevel("error");
    logs.length = 0;
    for (let i = 0; i < 3; i++) await client.callTool({ name: "chatty" });
    expect(logs).toEqual(["error line", "error line", "error line"]);
    await client.close();
  });

  it("keeps ctx.session.state across instances", async () => {
    const { client } = await sdkClient(cluster.lb.url);
    await client.callTool({ name: "remember", arguments: { value: "blue" } });
    for (let i = 0; i < 3; i++)
      expect(text(await client.callTool({ name: "recall" }))).toBe("blue");
    await client.close();
  });

  it("delivers resources/updated and list_changed from any instance on the standalone stream", async () => {
    const { client, notes } = await sdkClient(cluster.lb.url);
    await client.subscribeResource({ uri: "test://watched" });
    // The SDK opened its GET stream right after initialize; wait until an instance holds it.
    await until(() => cluster.lb.log.some((l) => l.method === "GET"));
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 3; i++) await client.callTool({ name: "touch" });
    await until(
      () => notes.filter((n) => n.method === "notifications/resources/updated").length >= 3,
    );
    await client.callTool({ name: "toggle" });
    await until(() => notes.some((n) => n.method === "notifications/tools/list_changed"));
    await client.unsubscribeResource({ uri: "test://watched" });
    const before = notes.length;
    await client.callTool({ name: "touch" });
    await client.callTool({ name: "where" });
    await new Promise((r) => setTimeout(r, 300));
    expect(
      notes.slice(before).filter((n) => n.method === "notifications/resources/updated"),
    ).toEqual([]);
    await client.close();
  });

  it("cancels a call running on another instance (notifications/cancelled)", async () => {
    const { client } = await sdkClient(cluster.lb.url);
    const controller = new AbortController();
    const started = new Promise<void>((resolve) => {
      void client
        .callTool({ name: "slow" }, undefined, {
          signal: controller.signal,
          onprogress: () => resolve(),
        })
        .catch(() => {});
    });
    await started;
    const before = trace.aborted.length;
    controller.abort("enough");
    await until(() => trace.aborted.length > before);
    expect(text(await client.callTool({ name: "where" }))).toMatch(/^i\d$/);
    await client.close();
  });

  it("DELETE on one instance ends the session everywhere and aborts its handlers", async () => {
    const { client, transport } = await sdkClient(cluster.lb.url);
    const before = trace.aborted.length;
    const started = new Promise<void>((resolve) => {
      void client
        .callTool({ name: "slow" }, undefined, { onprogress: () => resolve() })
        .catch(() => {});
    });
    await started;
    const sessionId = transport.sessionId as string;
    const ran = trace.ranOn[trace.ranOn.length - 1] as string;
    const other = cluster.handles[(Number(ran.slice(1)) + 1) % 3] as HttpServerHandle;
    const del = await fetch(other.url, {
      method: "DELETE",
      headers: { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" },
    });
    expect(del.status).toBe(200);
    await until(() => trace.aborted.length > before);
    expect(trace.aborted[trace.aborted.length - 1]).toBe(ran);
    for (const h of cluster.handles) {
      const r = await postRpc(h.url, { jsonrpc: "2.0", id: 9, method: "ping" }, sessionId);
      expect(r.status).toBe(404);
    }
    await client.close().catch(() => {});
  });

  it("binds a session to its principal on every instance", async () => {
    const { client, transport } = await sdkClient(cluster.lb.url, { "x-user": "alice" });
    expect(text(await client.callTool({ name: "where" }))).toMatch(/^i\d$/);
    for (const h of cluster.handles) {
      for (const user of ["mallory", undefined]) {
        const r = await postRpc(
          h.url,
          { jsonrpc: "2.0", id: 1, method: "tools/list" },
          transport.sessionId as string,
          user ? { "x-user": user } : {},
        );
        expect(r.status).toBe(404);
      }
    }
    expect(text(await client.callTool({ name: "where" }))).toMatch(/^i\d$/);
    await client.close();
  });

  it("answers 409 to a second standalone stream of a session, on the same instance or another", async () => {
    const [a, b] = cluster.handles as [HttpServerHandle, HttpServerHandle, HttpServerHandle];
    const session = await openRawSession(a.url);
    const get = (url: string) =>
      fetch(url, { headers: mcpHeaders(session, { accept: "text/event-stream" }) });
    const first = await get(a.url);
    expect(first.status).toBe(200);
    for (const url of [a.url, b.url]) {
      const again = await get(url);
      expect(again.status).toBe(409);
      await again.text();
    }
    await first.body?.cancel();
  });

  it("ends a request's stream resumed on another instance when the call is cancelled there", async () => {
    const [a, b, c] = cluster.handles as [HttpServerHandle, HttpServerHandle, HttpServerHandle];
    const session = await openRawSession(a.url);
    const before = trace.aborted.length;
    const call = await postRpc(a.url, slowCall(7), session);
    // Read up to the first progress notification, then drop the connection.
    const first = await readSse(call.body as ReadableStream<Uint8Array>, (e) =>
      e.data.includes("started"),
    );
    const lastId = first[first.length - 1]?.id as string;
    expect(lastId).toMatch(/_\d+-\d+$/);
    // Resume on b; cancel through c: the handler on a stops and b's stream ends (no response).
    const resumed = await resumeStream(b.url, session, lastId);
    expect(resumed.status).toBe(200);
    const rest = readSse(resumed.body as ReadableStream<Uint8Array>, () => false);
    const cancel = await postRpc(
      c.url,
      { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 7 } },
      session,
    );
    expect(cancel.status).toBe(202);
    expect((await rest).filter((e) => e.data.includes('"id":7'))).toEqual([]);
    await until(() => trace.aborted.length > before);
  });
});

describe("redisSessions(): resumption after the stream's instance went away", () => {
  const cluster = useCluster("cluster-resume", ["a", "b"], { shutdownTimeoutMs: 300 });

  it("replays missed events on another instance; the call's answer follows there", async () => {
    const [a, b] = cluster.handles as [HttpServerHandle, HttpServerHandle];
    const session = await openRawSession(a.url);
    const call = await postRpc(a.url, slowCall(7), session);
    const first = await readSse(call.body as ReadableStream<Uint8Array>, (e) => e.id !== undefined);
    const primingId = first[0]?.id as string;
    // Resume from the priming event on b: the progress notification sent meanwhile is replayed.
    const resumed = await resumeStream(b.url, session, primingId);
    expect(resumed.status).toBe(200);
    const reading = readSse(resumed.body as ReadableStream<Uint8Array>, (e) =>
      e.data.includes('"id":7'),
    );
    // Instance a shuts down: its running call is answered with an error, delivered through b.
    // (A SIGKILLed owner — no answer at all — is covered by the process cluster test.)
    await a.close();
    const events = await reading;
    expect(events[0]?.data).toContain("started");
    const final = JSON.parse(events[events.length - 1]?.data as string);
    expect(final).toMatchObject({
      id: 7,
      error: { message: expect.stringMatching(/shutting down/) },
    });
    // The session goes on through b.
    const ping = await postRpc(b.url, { jsonrpc: "2.0", id: 8, method: "ping" }, session);
    expect(await ping.json()).toEqual({ jsonrpc: "2.0", id: 8, result: {} });
  });
});
