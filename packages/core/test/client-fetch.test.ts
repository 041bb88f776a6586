import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetch } from "../src/client.js";

let server: Server;
let base: string;
const hanging = new Set<() => void>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      if (req.url === "/json") {
        res.writeHead(200, {
          "content-type": "application/json",
          "x-echo": req.headers["x-token"] ?? "",
        });
        res.end(JSON.stringify({ method: req.method, body }));
      } else if (req.url === "/sse") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("data: one\n\n");
        setTimeout(() => res.end("data: two\n\n"), 20);
      } else if (req.url === "/accepted") {
        res.writeHead(202).end();
      } else {
        hanging.add(() => res.destroy());
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const end of hanging) end();
  await new Promise((r) => server.close(r));
});

describe("httpFetch (the proxy's and CLI's fetch for the SDK HTTP transport)", () => {
  it("sends method, headers and body; answers JSON as a Response", async () => {
    const headers = new Headers({ "x-token": "t1", "content-type": "application/json" });
    const r = await httpFetch(`${base}/json`, { method: "POST", headers, body: '{"a":1}' });
    expect(r.status).toBe(200);
    expect(r.ok).toBe(true);
    expect(r.headers.get("x-echo")).toBe("t1");
    expect(await r.json()).toEqual({ method: "POST", body: '{"a":1}' });
    const accepted = await httpFetch(new URL(`${base}/accepted`), { method: "POST", body: "{}" });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toBeNull();
  });

  it("a buffered answer reads once, as text, JSON, bytes or a stream, with headers by any case", async () => {
    const body = '{"a":1}';
    const r = await httpFetch(`${base}/json`, { method: "POST", body });
    expect(r.headers.get("X-Missing")).toBeNull();
    expect(r.headers.get("Content-Type")).toMatch(/json/);
    expect(r.headers.has("content-type")).toBe(true);
    expect([...r.headers.keys()]).toContain("content-type");
    expect(r.bodyUsed).toBe(false);
    expect(JSON.parse(await r.text())).toEqual({ method: "POST", body });
    expect(r.bodyUsed).toBe(true);
    await expect(r.json()).rejects.toThrow(/already been read/);
    const s = await httpFetch(`${base}/json`, { method: "POST", body });
    expect(JSON.parse(await new Response(s.body).text())).toEqual({ method: "POST", body });
    const b = await httpFetch(`${base}/json`, { method: "POST", body });
    expect(new TextDecoder().decode(await b.arrayBuffer())).toContain('"method":"POST"');
  });

  it("keeps an event stream a stream", async () => {
    const r = await httpFetch(`${base}/sse`, { method: "GET" });
    expect(r.headers.get("content-type")).toBe("text/event-stream");
    expect(await r.text()).toBe("data: one\n\ndata: two\n\n");
  });

  it("a shared signal gets one listener however many requests use it, and aborts those in flight", async () => {
    const controller = new AbortController();
    await Promise.all(
      Array.from({ length: 50 }, () =>
        httpFetch(`${base}/json`, { method: "POST", body: "x", signal: controller.signal }).then(
          (r) => r.text(),
        ),
      ),
    );
    expect(getEventListeners(controller.signal, "abort").length).toBe(1);
    const pending = httpFetch(`${base}/hang`, {
      method: "POST",
      body: "x",
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort(new Error("transport closed"));
    await expect(pending).rejects.toThrow("transport closed");
    await expect(httpFetch(`${base}/json`, { signal: controller.signal })).rejects.toThrow(
      "transport closed",
    );
  });

  it("a refused connection rejects", async () => {
    await expect(httpFetch("http://127.0.0.1:1/x")).rejects.toThrow(/ECONNREFUSED/);
  });
});
