import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { createServer, type HttpServerHandle } from "../src/index.js";
import { rpc } from "./http-helpers.js";

const handles: HttpServerHandle[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(handles.splice(0).map((h) => h.close()));
});

const HEADERS_MS = 1500;
const REQUEST_MS = 3000;
/** The documented limits must hold "within about a second". */
const SLACK_MS = 1000;

async function start() {
  const app = createServer({
    name: "slow",
    version: "1",
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  app.tool("echo", { description: "Echo", input: { text: z.string() } }, ({ text }) => text);
  const h = await app.listen({
    port: 0,
    mode: "stateless",
    headersTimeoutMs: HEADERS_MS,
    requestTimeoutMs: REQUEST_MS,
  });
  handles.push(h);
  return h;
}

/** Opens a socket and writes `text` one byte every `everyMs`; resolves with when it closed. */
function drip(port: number, text: string, everyMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on("connect", () => {
      timer = setInterval(() => {
        if (i < text.length && !socket.destroyed) socket.write(text[i++] as string);
      }, everyMs);
    });
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    });
    setTimeout(() => reject(new Error("the slow connection was never cut")), 30_000);
  });
}

/** Calls the server every 100 ms while `until` is pending; returns how many answers came back. */
async function normalTraffic(
  url: string,
  until: Promise<unknown>,
): Promise<{ ok: number; failed: number }> {
  let done = false;
  void until.then(() => {
    done = true;
  });
  const counts = { ok: 0, failed: 0 };
  while (!done) {
    const r = await rpc(url, {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "echo", arguments: { text: "hi" } },
    });
    if (r.status === 200 && JSON.parse(r.body).result?.content?.[0]?.text === "hi") counts.ok++;
    else counts.failed++;
    await new Promise((r2) => setTimeout(r2, 100));
  }
  return counts;
}

describe("slow-client limits hold within about a second", () => {
  it(`headers dripped byte by byte are cut within headersTimeoutMs (${HEADERS_MS} ms) + 1 s`, async () => {
    const h = await start();
    const headers = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nX-Padding: ${"x".repeat(400)}\r\n\r\n`;
    const cut = drip(h.port, headers, 20);
    const traffic = await normalTraffic(h.url, cut);
    const ms = await cut;
    expect(ms).toBeLessThanOrEqual(HEADERS_MS + SLACK_MS);
    expect(traffic.failed).toBe(0);
    expect(traffic.ok).toBeGreaterThan(3);
  });

  it(`a body dripped after complete headers is cut within requestTimeoutMs (${REQUEST_MS} ms) + 1 s`, async () => {
    const h = await start();
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", pad: "y".repeat(400) });
    const headers = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n`;
    const cut = new Promise<number>((resolve, reject) => {
      const started = Date.now();
      const socket = connect(h.port, "127.0.0.1");
      sockets.push(socket);
      let i = 0;
      let timer: NodeJS.Timeout | undefined;
      socket.on("connect", () => {
        socket.write(headers);
        timer = setInterval(() => {
          if (i < body.length && !socket.destroyed) socket.write(body[i++] as string);
        }, 20);
      });
      socket.on("data", () => {});
      socket.on("error", () => {});
      socket.on("close", () => {
        clearInterval(timer);
        resolve(Date.now() - started);
      });
      setTimeout(() => reject(new Error("the slow body was never cut")), 30_000);
    });
    const traffic = await normalTraffic(h.url, cut);
    const ms = await cut;
    expect(ms).toBeLessThanOrEqual(REQUEST_MS + SLACK_MS);
    expect(traffic.failed).toBe(0);
    expect(traffic.ok).toBeGreaterThan(3);
  });

  it("refuses headersTimeoutMs larger than requestTimeoutMs", async () => {
    const app = createServer({ name: "t", version: "1" });
    await expect(
      app.listen({ port: 0, headersTimeoutMs: 5000, requestTimeoutMs: 1000 }),
    ).rejects.toThrow(/headersTimeoutMs \(5000\) must not exceed requestTimeoutMs \(1000\)/);
  });
});
