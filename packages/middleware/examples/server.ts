// Six of the middleware together, in a working order. Speaks MCP over stdio.
import { createServer } from "@mcpforge/core";
import {
  concurrency,
  errorMasking,
  logging,
  timeout,
  timing,
  validation,
} from "@mcpforge/middleware";
import * as z from "zod";

const app = createServer({ name: "production", version: "1.0.0" })
  .use(errorMasking()) // outermost: sees every error, also other middleware's
  .use(logging()) // logs the real error; shares the correlation id
  .use(timing({ slowMs: 1000 }))
  .use(validation({ default: { maxStringLength: 10_000, maxArgumentBytes: 100_000 } }))
  .use(timeout({ defaultMs: 30_000 })) // before concurrency: a timed-out call keeps its slot
  .use(concurrency({ max: 50 })); // until its handler really ends

app.tool("echo", { description: "Echoes text", input: { text: z.string() } }, ({ text }) => text);

await app.run();
