import type { HttpServerHandle } from "@mcpforge/core";
import { redisSessions } from "@mcpforge/core/redis";
import { type RedisServer, randomPrefix, redisServer } from "@mcpforge/testing/redis";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, type Notification } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConformanceServer } from "../src/server.js";

const INIT = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "raw", version: "1" },
  },
};

function initialize(url: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify(INIT),
  });
}

async function connect(url: string) {
  const client = new Client({ name: "outage", version: "1" }, { capabilities: { sampling: {} } });
  const notes: Notification[] = [];
  client.fallbackNotificationHandler = async (n) => {
    notes.push(n);
  };
  client.setRequestHandler(CreateMessageRequestSchema, () => ({
    role: "assistant",
    model: "m",
    content: { type: "text", text: "sampled answer" },
  }));
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { client, notes };
}

async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("redisSessions() when Redis goes away (a private redis-server, killed and restarted)", () => {
  let redis: RedisServer;
  const handles: HttpServerHandle[] = [];

  beforeAll(async () => {
    redis = await redisServer();
    await redis.start();
    for (let i = 0; i < 2; i++) {
      handles.push(
        await createConformanceServer().listen({
          port: 0,
          sessions: redisSessions({
            url: redis.url,
            prefix: randomPrefix("outage"),
            commandTimeoutMs: 300,
          }),
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close()));
    await redis?.stop();
  });

  it("refuses new sessions with 503, answers existing ones with a clear error, and resumes when Redis is back", async () => {
    const [a] = handles as [HttpServerHandle];
    const { client } = await connect(a.url);
    expect(await client.callTool({ name: "test_simple_text" })).toHaveProperty("content");

    await redis.stop();
    // New sessions: 503 with Retry-After and a JSON-RPC error naming the cause (no hang).
    const refused = await initialize(a.url);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(JSON.stringify(await refused.json())).toMatch(/Session store unavailable \(Redis\)/);
    // Existing sessions: the request is answered with the same clear error.
    await expect(client.callTool({ name: "test_simple_text" })).rejects.toThrow(
      /Session store unavailable \(Redis\)/,
    );

    await redis.start();
    // Back: new sessions open again (the private Redis kept nothing, so old sessions are gone).
    await until(async () => (await initialize(a.url)).status === 200);
    const fresh = await connect(a.url);
    expect(
      JSON.stringify(
        await fresh.client.callTool({ name: "test_sampling", arguments: { prompt: "p" } }),
      ),
    ).toContain("sampled answer");
    // The stream reader resumed: a resource update travels the bus to the standalone stream again.
    await fresh.client.subscribeResource({ uri: "test://watched-resource" });
    await until(() => fresh.notes.some((n) => n.method === "notifications/resources/updated"));
    await fresh.client.close();
    await client.close().catch(() => {});
  }, 60_000);
});
