/**
 * MCP Forge over Streamable HTTP, stateful, sessions in Redis:
 * `node forge-http-redis.js <key prefix>` (REDIS_URL, default redis://127.0.0.1:6379).
 * Instances started with the same prefix share their sessions.
 */
import { createServer } from "@mcpforge/core";
import { redisSessions } from "@mcpforge/core/redis";
import { arg } from "./child.js";
import { serveForge } from "./serve.js";
import { forgeTools } from "./tools.js";

const prefix = arg(0, "mcpforge-bench:sessions:");
const app = forgeTools(createServer({ name: "bench-forge", version: "1.0.0" }));

await serveForge(app, {
  sessions: redisSessions({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", prefix }),
});
