// Tests against a real Redis: one shared through REDIS_URL, and a private redis-server.
import {
  connectRedis,
  deletePrefix,
  randomPrefix,
  redisServer,
  requireRedis,
} from "@mcpforge/testing/redis";
import { afterAll, beforeAll, expect, it } from "vitest";

const prefix = randomPrefix("example");
beforeAll(() => requireRedis());
afterAll(() => deletePrefix(prefix));

it("writes under its prefix", async () => {
  const redis = await connectRedis();
  try {
    await redis.set(`${prefix}greeting`, "hello");
    expect(await redis.get(`${prefix}greeting`)).toBe("hello");
  } finally {
    redis.disconnect();
  }
});

it("survives an outage of its own redis-server", async () => {
  const server = await redisServer();
  await server.start();
  try {
    const client = await connectRedis(server.url);
    expect(await client.ping()).toBe("PONG");
    client.disconnect();
    await server.stop(); // SIGKILL: the server is gone
    await expect(connectRedis(server.url)).rejects.toThrow(server.url);
  } finally {
    await server.stop();
  }
});
