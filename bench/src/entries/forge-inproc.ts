/**
 * In-process calls: `createTestClient(app)` (the SDK `Client` over the in-memory transport).
 * `node forge-inproc.js <seconds> [client|raw]`: `client` calls `t.client.callTool()` (the same
 * call the SDK side makes); `raw` calls the helper `t.callToolRaw()`.
 */
import { createServer } from "@mcpforge/core";
import { createTestClient } from "@mcpforge/testing";
import { arg } from "./child.js";
import { timeCalls } from "./inproc.js";
import { forgeTools } from "./tools.js";

const seconds = Number(arg(0, "3"));
const variant = arg(1, "client");

const app = forgeTools(createServer({ name: "bench-forge", version: "1.0.0" }));

const t = await createTestClient(app);
await timeCalls(
  variant === "raw"
    ? (text) => t.callToolRaw("echo", { text })
    : (text) => t.client.callTool({ name: "echo", arguments: { text } }),
  seconds,
);
await t.close();
process.exit(0);
