import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  type Notification,
} from "@modelcontextprotocol/sdk/types.js";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import type { HttpServerHandle } from "../../src/index.js";
import { INIT } from "../http-helpers.js";
import { startCluster, type Trace } from "./cluster-app.js";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Fails loudly when Redis does not answer: these tests are never skipped. */
export async function requireRedis(): Promise<void> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new Error(
      `The cluster tests need a real Redis at ${REDIS_URL}: ${(err as Error).message}`,
    );
  } finally {
    probe.disconnect();
  }
}

export function randomPrefix(label: string): string {
  return `mcpforge-test:${label}:${randomUUID()}:`;
}

/** Deletes the keys under `prefix` (SCAN, never FLUSHALL). */
export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 0 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/** A tiny round-robin HTTP proxy (no stickiness): each request goes to the next upstream. */
export interface RoundRobin {
  readonly url: string;
  /** Which upstream (index) served each request, in order, with its method. */
  readonly log: { upstream: number; method: string }[];
  close(): Promise<void>;
}

export async function roundRobin(upstreams: readonly string[], path = "/mcp"): Promise<RoundRobin> {
  let next = 0;
  const log: { upstream: number; method: string }[] = [];
  const server: Server = createHttpServer((req, res) => {
    const index = next++ % upstreams.length;
    log.push({ upstream: index, method: req.method ?? "" });
    const target = new URL(upstreams[index] as string);
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An SDK client that answers sampling and elicitation and records notifications. */
export async function sdkClient(url: string, headers: Record<string, string> = {}) {
  const client = new Client(
    { name: "cluster-test", version: "1.0.0" },
    { capabilities: { sampling: {}, elicitation: { form: {} } } },
  );
  const notes: Notification[] = [];
  client.fallbackNotificationHandler = async (n) => {
    notes.push(n);
  };
  client.setRequestHandler(CreateMessageRequestSchema, (r) => ({
    role: "assistant",
    model: "m",
    content: { type: "text", text: `echo ${JSON.stringify(r.params.messages[0]?.content)}` },
  }));
  client.setRequestHandler(ElicitRequestSchema, () => ({
    action: "accept",
    content: { name: "Ada" },
  }));
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers },
  });
  await client.connect(transport);
  return { client, transport, notes };
}

/** Waits until `check` returns true (polling), or throws after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads SSE events from a fetch response body until `stop` says so or the stream ends. */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  stop: (event: { id?: string; data: string }) => boolean,
): Promise<{ id?: string; data: string }[]> {
  const events: { id?: string; data: string }[] = [];
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf("\n\n");
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf("\n\n");
        const event: { id?: string; data: string } = { data: "" };
        for (const line of block.split("\n")) {
          if (line.startsWith("id: ")) event.id = line.slice(4);
          else if (line.startsWith("data: ")) event.data += line.slice(6);
        }
        if (event.id === undefined && event.data === "") continue;
        events.push(event);
        if (stop(event)) return events;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** A test cluster: instances sharing the sessions under `prefix`, behind a round-robin proxy. */
export interface Cluster {
  readonly prefix: string;
  /** What the instances' handlers recorded. */
  readonly trace: Trace;
  /** The instances, in the order of their names (started in `beforeAll`). */
  handles: HttpServerHandle[];
  /** The round-robin proxy in front of them (started in `beforeAll`). */
  lb: RoundRobin;
}

/**
 * Starts a cluster for the enclosing `describe` (one instance per name, Redis required, keys
 * under a fresh prefix) and stops it afterwards, deleting its keys.
 */
export function useCluster(
  label: string,
  names: readonly string[],
  listen: { shutdownTimeoutMs?: number } = {},
): Cluster {
  const cluster = {
    prefix: randomPrefix(label),
    trace: { aborted: [], ranOn: [] },
    handles: [],
    lb: undefined,
  } as unknown as Cluster;
  beforeAll(async () => {
    await requireRedis();
    cluster.handles = await startCluster(names, cluster.prefix, cluster.trace, REDIS_URL, listen);
    cluster.lb = await roundRobin(cluster.handles.map((h) => h.url));
  });
  afterAll(async () => {
    await cluster.lb?.close();
    await Promise.all(cluster.handles.map((h) => h.close()));
    await deletePrefix(cluster.prefix);
  });
  return cluster;
}

/** The headers of a raw MCP POST (protocol 2025-11-25), with the session's id when given. */
export function mcpHeaders(
  session?: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2025-11-25",
    ...(session ? { "mcp-session-id": session } : {}),
    ...extra,
  };
}

/** POSTs one raw JSON-RPC message to `url`. */
export function postRpc(
  url: string,
  body: unknown,
  session?: string,
  extra?: Record<string, string>,
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: mcpHeaders(session, extra),
    body: JSON.stringify(body),
  });
}

/** Opens a session on `url` with a raw `initialize` (2025-11-25); returns its id. */
export async function openRawSession(url: string): Promise<string> {
  const init = await postRpc(url, INIT);
  const session = init.headers.get("mcp-session-id") as string;
  await init.text();
  return session;
}

/** A `tools/call` of the `slow` tool (it reports progress with token 1, then waits to be cancelled). */
export function slowCall(id: number) {
  return {
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "slow", _meta: { progressToken: 1 } },
  };
}

/** Resumes a session's stream on `url` after `lastEventId` (GET with `Last-Event-ID`). */
export function resumeStream(url: string, session: string, lastEventId: string): Promise<Response> {
  return fetch(url, {
    headers: {
      accept: "text/event-stream",
      "mcp-session-id": session,
      "mcp-protocol-version": "2025-11-25",
      "last-event-id": lastEventId,
    },
  });
}
