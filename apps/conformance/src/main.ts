import { createConformanceServer } from "./server.js";

// Streamable HTTP (stateful) on 127.0.0.1:$PORT (default 3000) at /mcp.
await createConformanceServer().run({ transport: "http" });
