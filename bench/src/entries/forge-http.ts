/**
 * MCP Forge over Streamable HTTP: `node forge-http.js <stateless|stateful> [middlewareCount]`.
 * Response mode is the default (`auto`: plain JSON when nothing streams).
 */
import { createServer } from "@mcpforge/core";
import * as z from "zod";
import { arg, report, serveParent } from "./child.js";

const mode = arg(0, "stateless") === "stateful" ? "stateful" : "stateless";
const middleware = Number(arg(1, "0"));

const app = createServer({ name: "bench-forge", version: "1.0.0" });
// A mixed stack of trivial middleware: onion functions and hook objects, in turns.
for (let i = 0; i < middleware; i++) {
  if (i % 3 === 0) app.use(async (_ctx, next) => next());
  else if (i % 3 === 1) app.use({ name: `hooks-${i}`, onRequest: (_ctx, next) => next() });
  else app.use({ name: `hooks-${i}`, onCallTool: (_ctx, next) => next() });
}
app.tool("echo", { description: "Echoes text", input: { text: z.string() } }, ({ text }) => text);
app.tool(
  "add",
  { description: "Adds two numbers", input: { a: z.number(), b: z.number() } },
  ({ a, b }) => String(a + b),
);

const http = await app.listen({ port: 0, mode });
serveParent(() => http.close());
report({ type: "ready", url: http.url });
