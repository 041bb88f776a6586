import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { checkHeader, Http1Pool } from "../src/client/http1.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A raw TCP server that answers each request (one per "\r\n\r\n"+body) with `answer(n)`, written in pieces. */
async function rawServer(answer: (n: number, socket: Socket) => string[]) {
  let n = 0;
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    let buf = "";
    socket.on("data", async (c) => {
      buf += c.toString("latin1");
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const len = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        buf = buf.slice(end + 4 + len);
        for (const piece of answer(n++, socket)) {
          socket.write(piece, "latin1");
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { pool: new Http1Pool({ https: false, hostname: "127.0.0.1", port }), sockets };
}

const get = (path = "/") => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;

describe("Http1Pool (the HTTP/1.1 client under HttpClientTransport)", () => {
  it("reads Content-Length and chunked bodies split anywhere, skips 100 Continue, reuses the connection", async () => {
    const { pool, sockets } = await rawServer((n) =>
      n === 0
        ? [
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Le",
            "ngth: 5\r\nX-A: 1\r\n\r\nhe",
            "llo",
          ]
        : [
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab",
            "c\r\n",
            "2;ext=1\r\nde\r\n0\r\nTrailer: t\r\n\r\n",
          ],
    );
    const a = await pool.request("GET", get());
    expect(a.status).toBe(200);
    expect(a.headers["x-a"]).toBe("1");
    expect(await a.text()).toBe("hello");
    const b = await pool.request("GET", get());
    const bytes: Buffer[] = [];
    await new Promise<void>((resolve, reject) =>
      b.read(
        (c) => bytes.push(Buffer.from(c)),
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    expect(Buffer.concat(bytes).toString("latin1")).toBe("abcde");
    expect(sockets.length).toBe(1);
    pool.close();
  });

  it("a body until close, and Connection: close, are not reused; a cut-off body is an error", async () => {
    const { pool, sockets } = await rawServer((n, socket) => {
      if (n === 0) {
        setTimeout(() => socket.end(), 20);
        return ["HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: 1\n\n"];
      }
      if (n === 1) return ["HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"];
      setTimeout(() => socket.destroy(), 20);
      return ["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"];
    });
    expect(await (await pool.request("GET", get())).text()).toBe("data: 1\n\n");
    const none = await pool.request("GET", get());
    expect(none.status).toBe(204);
    expect(await none.text()).toBe("");
    await expect((await pool.request("GET", get())).text()).rejects.toThrow(/socket hang up/);
    expect(sockets.length).toBe(3);
    pool.close();
  });

  it("keeps the bytes that wait (a partial head, a body not read yet) while other connections read", async () => {
    // two connections answer in interleaved pieces: each read of one lands in the read buffer
    // the other's waiting bytes came from
    const sockets: Socket[] = [];
    let arrived = 0;
    let bothArrived: () => void = () => {};
    const both = new Promise<void>((r) => {
      bothArrived = r;
    });
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.once("data", () => {
        if (++arrived === 2) bothArrived();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const pool = new Http1Pool({ https: false, hostname: "127.0.0.1", port });
    const pause = () => new Promise((r) => setTimeout(r, 20));
    const a = pool.request("GET", get("/a"));
    const b = pool.request("GET", get("/b"));
    await both;
    const [sa, sb] = sockets as [Socket, Socket];
    sa.write("HTTP/1.1 200 OK\r\nContent-Len");
    await pause();
    sb.write("HTTP/1.1 201 Created\r\nContent-Length: 6\r\nX-B: bbbb\r\n\r\nbody-b");
    await pause();
    sa.write("gth: 11\r\nX-A: aaaa\r\n\r\nbody-");
    const answerA = await a;
    sb.write("HTTP/1.1 200 OK\r\nX-Overwrite: zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\r\n\r\n");
    await pause();
    sa.write("a-done");
    const answerB = await b;
    expect([answerA.status, answerA.headers["x-a"], await answerA.text()]).toEqual([
      200,
      "aaaa",
      "body-a-done",
    ]);
    expect([answerB.status, answerB.headers["x-b"], await answerB.text()]).toEqual([
      201,
      "bbbb",
      "body-b",
    ]);
    pool.close();
  });

  it("refuses header names and values that could smuggle another header", () => {
    expect(() => checkHeader("authorization", "Bearer x")).not.toThrow();
    expect(() => checkHeader("x", "a\r\nb: c")).toThrow(/invalid value/);
    expect(() => checkHeader("a b", "c")).toThrow(/invalid HTTP header name/);
  });
});
