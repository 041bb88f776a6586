/**
 * MCP Forge over Streamable HTTP with a `slow_echo` tool (about 0.2 ms of synchronous work per
 * call), with or without the response cache from `@mcpforge/cache`:
 * `node forge-http-cache.js <stateless|stateful> <cache|none> [maxEntries]`.
 *
 * With `cache`, `responseCache()` caches `slow_echo` in a `memoryStore()` bounded to
 * `maxEntries` (default 1000), so a run of unique arguments (every call a miss, every answer
 * stored) evicts instead of growing. Also answers `{ type: "stats" }` from the parent with the
 * cache's counters (a `result` message).
 */
import { memoryStore } from "@mcpforge/cache/memory";
import { responseCache } from "@mcpforge/cache/middleware";
import { createServer } from "@mcpforge/core";
import * as z from "zod";
import { arg, report } from "./child.js";
import { modeArg, serveForge } from "./serve.js";
import { forgeTools } from "./tools.js";
import { SLOW_ECHO_MS, spin } from "./work.js";

const mode = modeArg(0);
const withCache = arg(1, "cache") === "cache";
const maxEntries = Number(arg(2, "1000"));

const app = createServer({ name: "bench-forge-cache", version: "1.0.0" });
const cache = withCache
  ? responseCache({
      store: memoryStore({ maxEntries }),
      ttlMs: 5 * 60_000,
      tools: ["slow_echo"],
    })
  : undefined;
if (cache) app.use(cache);

forgeTools(app);
app.tool(
  "slow_echo",
  {
    description: "Echoes text after a little work",
    input: { text: z.string() },
    annotations: { readOnlyHint: true },
  },
  ({ text }) => {
    spin(SLOW_ECHO_MS);
    return text;
  },
);

process.on("message", (m: { type?: string }) => {
  if (m.type === "stats") report({ type: "result", ...(cache?.stats() ?? {}) });
});

await serveForge(app, { mode });
