// Prometheus metrics: the MCP conventions' histograms, plus the rate limiter's and cache's counters.
import { memoryStore } from "@mcpforge/cache/memory";
import { responseCache } from "@mcpforge/cache/middleware";
import { createServer } from "@mcpforge/core";
import { health } from "@mcpforge/health";
import { rateLimit } from "@mcpforge/middleware/rate-limit";
import { createTestClient } from "@mcpforge/testing";
import * as z from "zod";

const limiter = rateLimit({
  perTool: { search: { algorithm: "fixed-window", limit: 3, windowMs: 60_000 } },
});
const cache = responseCache({
  store: memoryStore({ maxEntries: 1000 }),
  ttlMs: 60_000,
  tools: "readOnly",
});

const app = createServer({ name: "search", version: "1.0.0" });
app.use(
  health({
    token: process.env.METRICS_TOKEN ?? "change-me", // /metrics wants "Authorization: Bearer <token>"
    metrics: { rateLimiters: { search: limiter }, caches: { responses: cache } },
  }),
); // first, so its timing covers the other middleware
app.use(limiter);
app.use(cache);
app.tool(
  "search",
  { description: "Search", input: { q: z.string() }, annotations: { readOnlyHint: true } },
  ({ q }) => `results for ${q}`,
);

const client = await createTestClient(app);
for (const q of ["a", "b", "a", "a", "c"]) {
  await client.callTool("search", { q }).catch(() => "rate limited");
}
await client.close();

const http = await app.listen({ port: 0 });
const res = await fetch(http.url.replace(/\/mcp$/, "/metrics"), {
  headers: { authorization: `Bearer ${process.env.METRICS_TOKEN ?? "change-me"}` },
});
const wanted =
  /^(mcp_server_operation_duration_seconds_count|mcpforge_(rate_limit|cache_requests))/;
for (const line of (await res.text()).split("\n")) if (wanted.test(line)) console.log(line);
await http.close();
