/**
 * MCP Forge over Streamable HTTP, stateful, sessions in Redis:
 * `node forge-http-redis.js <key prefix>` (REDIS_URL, default redis://127.0.0.1:6379).
 * Instances started with the same prefix share their sessions.
 */
import { createServer } from "@mcpforge/core";
import { redisSessions } from "@mcpforge/core/redis";
import * as z from "zod";
import { arg, report, serveParent } from "./child.js";

const prefix = arg(0, "mcpforge-bench:sessions:");
const app = createServer({ name: "bench-forge", version: "1.0.0" });
app.tool("echo", { description: "Echoes text", input: { text: z.string() } }, ({ text }) => text);
app.tool(
  "add",
  { description: "Adds two numbers", input: { a: z.number(), b: z.number() } },
  ({ a, b }) => String(a + b),
);

const http = await app.listen({
  port: 0,
  sessions: redisSessions({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", prefix }),
});
serveParent(() => http.close());
report({ type: "ready", url: http.url });
