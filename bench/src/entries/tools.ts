/**
 * The two tools every benchmark server offers (`echo(text)` and `add(a, b)`), registered the
 * MCP Forge way and the raw SDK way. The stdio, cold-start and in-process entries share them.
 */
import type { McpForgeApp } from "@mcpforge/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as z from "zod";

/** `echo` and `add` on an MCP Forge app; `onEcho` runs on every echo (a call counter). */
export function forgeTools(app: McpForgeApp, onEcho: () => void = () => {}): McpForgeApp {
  app.tool("echo", { description: "Echoes text", input: { text: z.string() } }, ({ text }) => {
    onEcho();
    return text;
  });
  app.tool(
    "add",
    { description: "Adds two numbers", input: { a: z.number(), b: z.number() } },
    ({ a, b }) => String(a + b),
  );
  return app;
}

/** `echo` and `add` on the SDK's `McpServer`, with `registerTool` as its examples do. */
export function sdkTools(server: McpServer): McpServer {
  server.registerTool(
    "echo",
    { description: "Echoes text", inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  server.registerTool(
    "add",
    { description: "Adds two numbers", inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  );
  return server;
}
