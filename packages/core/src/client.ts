/**
 * `@mcpforge/core/client`: the MCP client side, for packages that talk to MCP servers (the CLI,
 * proxies, gateways). It is the official SDK's client, re-exported so that every `@mcpforge/*`
 * package reaches the SDK through core only (one SDK version, one place to upgrade it).
 *
 * @example
 * import { Client, StreamableHTTPClientTransport } from "@mcpforge/core/client";
 * const client = new Client({ name: "probe", version: "1.0.0" });
 * await client.connect(new StreamableHTTPClientTransport(new URL("http://127.0.0.1:3000/mcp")));
 */
export { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
export {
  getDefaultEnvironment,
  StdioClientTransport,
  type StdioServerParameters,
} from "@modelcontextprotocol/sdk/client/stdio.js";
export {
  StreamableHTTPClientTransport,
  type StreamableHTTPClientTransportOptions,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
export type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
export type {
  CallToolResult,
  ClientCapabilities,
  ContentBlock,
  GetPromptResult,
  Implementation,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
  Tool,
} from "@modelcontextprotocol/sdk/types.js";
