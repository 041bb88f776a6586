/** Cold start: MCP Forge over stdio (`app.run()`), the same two tools. */
import { createServer } from "@mcpforge/core";
import { forgeTools } from "./tools.js";

const app = forgeTools(createServer({ name: "bench-forge", version: "1.0.0" }));
await app.run();
