/**
 * Cold start: MCP Forge over Streamable HTTP, stateless, the same two tools as the stdio
 * entries; prints its URL on stdout once it listens (no IPC channel: nothing extra to start).
 */
import { createServer } from "@mcpforge/core";
import { forgeTools } from "./tools.js";

const app = forgeTools(createServer({ name: "bench-forge", version: "1.0.0" }));
const http = await app.listen({ port: 0, mode: "stateless" });
process.stdout.write(`${http.url}\n`);
