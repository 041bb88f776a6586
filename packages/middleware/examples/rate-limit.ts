// Limits per client, shared by every instance through Redis (REDIS_URL). Serves HTTP.
import { createServer } from "@mcpforge/core";
import { rateLimit, redisRateLimitStore } from "@mcpforge/middleware/rate-limit";
import * as z from "zod";

const store = redisRateLimitStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
const limiter = rateLimit({
  store,
  trustProxy: 1, // one load balancer in front
  global: { algorithm: "token-bucket", capacity: 120, refillPerSecond: 2 },
  perTool: { send_email: { algorithm: "fixed-window", limit: 5, windowMs: 60_000 } },
  perTag: { llm: { algorithm: "token-bucket", capacity: 10, refillPerSecond: 0.2 } },
});

const app = createServer({ name: "limited", version: "1.0.0" }).use(limiter);
app.onClose(() => store.close());

app.tool(
  "send_email",
  { description: "Sends an email", input: { to: z.email() } },
  ({ to }) => `sent to ${to}`,
);
app.tool(
  "summarize",
  { description: "Summarizes text", tags: ["llm"], input: { text: z.string() } },
  ({ text }) => `${text.slice(0, 100)}…`, // stands in for a costly model call
);

const { url } = await app.listen({ port: Number(process.env.PORT ?? 3000) });
console.error(`listening on ${url}`);
setInterval(() => console.error(limiter.stats()), 60_000).unref(); // { allowed, limited, failOpen }
