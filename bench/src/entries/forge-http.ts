/**
 * MCP Forge over Streamable HTTP: `node forge-http.js <stateless|stateful> [middlewareCount]`.
 * Response mode is the default (`auto`: plain JSON when nothing streams). Answers
 * `{ type: "stats" }` with the `echo` calls served and the process's CPU time so far (µs).
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
let calls = 0;
app.tool("echo", { description: "Echoes text", input: { text: z.string() } }, ({ text }) => {
  calls++;
  return text;
});
app.tool(
  "add",
  { description: "Adds two numbers", input: { a: z.number(), b: z.number() } },
  ({ a, b }) => String(a + b),
);

// `{ type: "stats" }` from the parent: the echo calls served and this process's CPU time (µs).
process.on("message", (m: { type?: string }) => {
  if (m.type !== "stats") return;
  const cpu = process.cpuUsage();
  report({ type: "result", calls, cpuMicros: cpu.user + cpu.system, spans: -1 });
});

const http = await app.listen({ port: 0, mode });
serveParent(() => http.close());
report({ type: "ready", url: http.url });
