/** Cold start: the raw SDK over stdio (McpServer + StdioServerTransport), the same two tools. */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { sdkTools } from "./tools.js";

const server = sdkTools(new McpServer({ name: "bench-sdk", version: "1.0.0" }));
await server.connect(new StdioServerTransport());
