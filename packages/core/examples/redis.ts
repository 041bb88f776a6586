// examples/redis.ts — run with: npx tsx examples/redis.ts   (needs Redis at REDIS_URL)
import { redisConnection, withRedisTimeout } from "@mcpforge/core/redis";

const conn = redisConnection({
  url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  owner: "@acme/mcp-audit: auditStore()",
  connectTimeoutMs: 1000,
  onOutage: (err) => console.error("audit store: Redis unavailable", err),
  onRecovery: (outage) =>
    console.error(`audit store: Redis back after ${Date.now() - outage.since} ms`),
});

const startedAt = Date.now();
try {
  const client = await conn.connect();
  const key = `example:audit:${process.pid}`;
  await withRedisTimeout(client.call("RPUSH", key, "started"), 100);
  console.log("entries:", await withRedisTimeout(client.call("LLEN", key), 100));
  await withRedisTimeout(client.call("DEL", key), 100);
  conn.recover(startedAt);
} catch (err) {
  conn.fail(err); // Redis down or slow: carry on without it
}
await conn.close();
