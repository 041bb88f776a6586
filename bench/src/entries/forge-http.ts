/**
 * MCP Forge over Streamable HTTP: `node forge-http.js <stateless|stateful> [middlewareCount]
 * [workUs]`; in every `echo` call, work that takes `workUs` µs in a hot loop here
 * (`compute()`) calibrates what added work reads as in the CPU figures.
 * Response mode is the default (`auto`: plain JSON when nothing streams). Answers
 * `{ type: "stats" }` with the `echo` calls served and the process's CPU time so far (µs).
 */
import { createServer } from "@mcpforge/core";
import { arg } from "./child.js";
import { modeArg, serveCounted } from "./serve.js";
import { iterationsFor } from "./work.js";

const mode = modeArg(0);
const middleware = Number(arg(1, "0"));
const workUs = Number(arg(2, "0"));

const app = createServer({ name: "bench-forge", version: "1.0.0" });
// A mixed stack of trivial middleware: onion functions and hook objects, in turns.
for (let i = 0; i < middleware; i++) {
  if (i % 3 === 0) app.use(async (_ctx, next) => next());
  else if (i % 3 === 1) app.use({ name: `hooks-${i}`, onRequest: (_ctx, next) => next() });
  else app.use({ name: `hooks-${i}`, onCallTool: (_ctx, next) => next() });
}
await serveCounted(app, mode, undefined, workUs > 0 ? iterationsFor(workUs) : 0);
