// Cache tool results, resource reads and lists of an MCP server.
import { memoryStore } from "@mcpforge/cache/memory";
import { CACHE_META_KEY, responseCache } from "@mcpforge/cache/middleware";
import { createServer } from "@mcpforge/core";
import { createTestClient } from "@mcpforge/testing";
import * as z from "zod";

const app = createServer({ name: "weather", version: "1.0.0" });
const cache = responseCache({
  store: memoryStore({ maxEntries: 10_000 }),
  ttlMs: 5 * 60_000,
  tools: "readOnly", // every tool annotated readOnlyHint: true
  maxItemBytes: 256 * 1024,
});
app.use(cache); // after your auth middleware, so ctx.auth partitions the cache

let lookups = 0;
app.tool(
  "forecast",
  {
    description: "Tomorrow's forecast for a city",
    input: { city: z.string() },
    annotations: { readOnlyHint: true },
  },
  async ({ city }) => {
    lookups++;
    return { city, forecast: "sunny" };
  },
);

await using client = await createTestClient(app);
await client.callToolRaw("forecast", { city: "Paris" });
const again = await client.callToolRaw("forecast", { city: "Paris" });
console.log("origin lookups:", lookups); // 1
console.log("cache marker:", JSON.stringify(again._meta?.[CACHE_META_KEY])); // {"hit":true,"ageMs":…}

await cache.invalidate({ tool: "forecast" }); // e.g. when the forecast data changed
await client.callToolRaw("forecast", { city: "Paris" });
console.log("origin lookups after invalidate:", lookups); // 2
console.log("stats:", cache.stats());
