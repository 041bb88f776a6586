import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { JSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { McpForgeError } from "../src/index.js";
import {
  type HttpHost,
  McpHttpHandler,
  ProtocolSession,
  type RequestExtra,
  resolveListenOptions,
  Session,
} from "../src/transport.js";

/** A small fake host: records what the HTTP layer asks of it. */
function fakeHost(overrides: Partial<HttpHost> = {}) {
  const dispatched: { method: string; sessionId: string; extra: RequestExtra }[] = [];
  const host: HttpHost = {
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    authenticated: false,
    httpHooks: [],
    routeFor: () => undefined,
    connect: async (transport) => new Session(transport.sessionId ?? "x", undefined, "http"),
    dispatch: async (session, request: JSONRPCRequest, extra) => {
      dispatched.push({ method: request.method, sessionId: session.id, extra });
      if (request.method === "boom") throw new McpForgeError("invalid_params", "bad thing");
      if (request.method === "crash") throw new Error("secret detail");
      return { echoed: request.params ?? null };
    },
    initializeResult: (version) => ({ protocolVersion: version, capabilities: {}, serverInfo: {} }),
    ...overrides,
  };
  return { host, dispatched };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(host: HttpHost, mode: "stateless" | "stateful" = "stateless") {
  const handler = new McpHttpHandler(host, resolveListenOptions({ port: 0, mode }));
  const server = createHttpServer((req, res) => void handler.handle(req, res));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, handler };
}

const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: { ...HEADERS, ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe("McpHttpHandler against a fake HttpHost", () => {
  it("answers initialize from the host's result with the negotiated version", async () => {
    const { host, dispatched } = fakeHost();
    const { url } = await serve(host);
    const r = await post(url, {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "c", version: "1" },
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.result.protocolVersion).toBe("2025-06-18");
    expect(dispatched).toHaveLength(0);
  });

  it("hands other requests to host.dispatch with the request's HTTP details", async () => {
    const { host, dispatched } = fakeHost();
    const { url } = await serve(host);
    const r = await post(url, { jsonrpc: "2.0", id: 7, method: "tools/list", params: { a: 1 } });
    expect(r.body).toEqual({ jsonrpc: "2.0", id: 7, result: { echoed: { a: 1 } } });
    expect(dispatched).toHaveLength(1);
    expect(dispatched[0]?.sessionId).toBe("stateless");
    expect(dispatched[0]?.extra.requestId).toBe(7);
    expect(dispatched[0]?.extra.requestInfo?.headers.accept).toContain("text/event-stream");
  });

  it("shapes thrown errors: McpForgeError keeps its code, anything else is masked", async () => {
    const { host } = fakeHost();
    const { url } = await serve(host);
    const known = await post(url, { jsonrpc: "2.0", id: 1, method: "boom" });
    expect(known.body.error).toEqual({ code: -32602, message: "bad thing" });
    const unknown = await post(url, { jsonrpc: "2.0", id: 2, method: "crash" });
    expect(unknown.body.error).toEqual({ code: -32603, message: "Internal error" });
    expect(JSON.stringify(unknown.body)).not.toContain("secret");
  });

  it("runs the host's hooks first and lets them answer", async () => {
    const { host, dispatched } = fakeHost({
      httpHooks: [
        (req, res) => {
          if (req.headers["x-key"] !== "ok") {
            res.writeHead(401).end();
            return true;
          }
          return undefined;
        },
      ],
    });
    const { url } = await serve(host);
    expect((await post(url, { jsonrpc: "2.0", id: 1, method: "ping" })).status).toBe(401);
    expect(
      (await post(url, { jsonrpc: "2.0", id: 1, method: "x" }, { "x-key": "ok" })).status,
    ).toBe(200);
    expect(dispatched.map((d) => d.method)).toEqual(["x"]);
  });

  it("serves public routes before the Host check, other routes only after it", async () => {
    const { host } = fakeHost({
      routeFor: (method, path) =>
        method === "GET" && path === "/healthz"
          ? { handler: (_req, res) => res.end("alive"), public: true }
          : method === "GET" && path === "/private"
            ? { handler: (_req, res) => res.end("secret"), public: false }
            : undefined,
    });
    const { url } = await serve(host);
    const port = new URL(url).port;
    const get = async (path: string) => {
      const { request } = await import("node:http");
      return new Promise<number>((resolve, reject) => {
        const req = request(
          { host: "127.0.0.1", port, path, headers: { host: "10.1.2.3:8080" } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end();
      });
    };
    expect(await get("/healthz")).toBe(200);
    expect(await get("/private")).toBe(403);
  });

  it("opens stateful sessions through host.connect and binds nothing else to the app", async () => {
    let connected = 0;
    const { host } = fakeHost({
      // The protocol layer is real; only the app behind it is fake.
      connect: async (transport) => {
        connected++;
        const protocol = new ProtocolSession(
          {
            dispatch: async () => ({}),
            notification: () => {},
            initializeResult: (version) => ({
              protocolVersion: version,
              capabilities: {},
              serverInfo: { name: "fake", version: "1" },
            }),
          },
          transport,
        );
        await protocol.start();
        return new Session(transport.sessionId ?? "?", protocol, "http");
      },
    });
    const { url, handler } = await serve(host, "stateful");
    const res = await fetch(`${url}/mcp`, {
      method: "POST",
      headers: HEADERS,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "c", version: "1" },
        },
      }),
    });
    await res.text();
    expect(res.headers.get("mcp-session-id")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(connected).toBe(1);
    expect(handler.sessionCount).toBe(1);
    await handler.close();
    expect(handler.sessionCount).toBe(0);
  });
});
