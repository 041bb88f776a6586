/**
 * MCP Forge over Streamable HTTP with the recommended production middleware stack from
 * `@mcpforge/middleware`: `node forge-http-stack.js <stateless|stateful> <apiKey>`. Clients must
 * send the key in `x-api-key`. The limits are set high enough never to refuse the benchmark's
 * load, so every request pays for the checks and none is turned away.
 */
import { openSync, writeSync } from "node:fs";
import { createServer } from "@mcpforge/core";
import {
  auth,
  concurrency,
  errorMasking,
  logging,
  memoryRateLimitStore,
  rateLimit,
  timeout,
  timing,
  validation,
} from "@mcpforge/middleware";
import * as z from "zod";
import { arg, report, serveParent } from "./child.js";

const mode = arg(0, "stateless") === "stateful" ? "stateful" : "stateless";
const apiKey = arg(1, "");

// Every log line is really written (one synchronous write per line, as the default stderr
// destination does) but to /dev/null: neither a terminal nor the parent's pipe slows it down.
const devNull = openSync("/dev/null", "w");
const discard = { write: (line: string) => void writeSync(devNull, line) };

const app = createServer({ name: "bench-forge-stack", version: "1.0.0" })
  .use(errorMasking())
  .use(logging({ destination: discard }))
  .use(timing())
  .use(auth({ apiKeys: { keys: { [apiKey]: { clientId: "bench", scopes: ["mcp"] } } } }))
  .use(
    rateLimit({
      store: memoryRateLimitStore(),
      global: { algorithm: "token-bucket", capacity: 1e9, refillPerSecond: 1e9 },
    }),
  )
  .use(validation({ default: { maxStringLength: 10_000, maxArgumentBytes: 100_000 } }))
  .use(timeout({ defaultMs: 30_000 }))
  .use(concurrency({ max: 1000 }));

app.tool("echo", { description: "Echoes text", input: { text: z.string() } }, ({ text }) => text);
app.tool(
  "add",
  { description: "Adds two numbers", input: { a: z.number(), b: z.number() } },
  ({ a, b }) => String(a + b),
);

const http = await app.listen({ port: 0, mode });
serveParent(() => http.close());
report({ type: "ready", url: http.url });
