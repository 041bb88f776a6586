// Per-tool time limits that abort the handler's signal. Speaks MCP over stdio.
import { createServer } from "@mcpforge/core";
import { timeout } from "@mcpforge/middleware/timeout";
import * as z from "zod";

const app = createServer({ name: "bounded", version: "1.0.0" }).use(
  timeout({ defaultMs: 10_000, tools: { crawl: 60_000 } }),
);

app.tool(
  "crawl",
  { description: "Fetches a URL", input: { url: z.string().url() } },
  async ({ url }, ctx) => {
    const res = await fetch(url, { signal: ctx.signal }); // aborted on timeout or cancellation
    return res.text();
  },
);

await app.run();
