/// <reference types="node" preserve="true" />
/**
 * `@mcpforge/core/client`: the MCP client side, for packages that talk to MCP servers (the CLI,
 * proxies, gateways). It is the official SDK's client, re-exported so that every `@mcpforge/*`
 * package reaches the SDK through core only (one SDK version, one place to upgrade it), plus
 * {@link createClientTransport} for a server given as a command or a URL, {@link HttpClientTransport}
 * (a lean Streamable HTTP client transport) and {@link httpFetch}.
 *
 * @example
 * import { Client, StreamableHTTPClientTransport } from "@mcpforge/core/client";
 * const client = new Client({ name: "probe", version: "1.0.0" });
 * await client.connect(new StreamableHTTPClientTransport(new URL("http://127.0.0.1:3000/mcp")));
 */
import type { IOType } from "node:child_process";
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { HttpClientTransport } from "./client/http-transport.js";

export { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
export {
  getDefaultEnvironment,
  StdioClientTransport,
  type StdioServerParameters,
} from "@modelcontextprotocol/sdk/client/stdio.js";
export {
  StreamableHTTPClientTransport,
  type StreamableHTTPClientTransportOptions,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
export type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
export type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
export {
  type CallToolResult,
  CallToolResultSchema,
  type ClientCapabilities,
  CompleteResultSchema,
  type ContentBlock,
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  EmptyResultSchema,
  ErrorCode,
  type GetPromptResult,
  GetPromptResultSchema,
  type Implementation,
  ListRootsRequestSchema,
  ListRootsResultSchema,
  LoggingMessageNotificationSchema,
  McpError,
  ProgressNotificationSchema,
  type Prompt,
  PromptListChangedNotificationSchema,
  type ReadResourceResult,
  ReadResourceResultSchema,
  type Resource,
  ResourceListChangedNotificationSchema,
  type ResourceTemplate,
  ResourceUpdatedNotificationSchema,
  type ServerCapabilities,
  type Tool,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
export { type FetchLike, httpFetch } from "./client/fetch.js";
export { HttpClientTransport, type HttpClientTransportOptions } from "./client/http-transport.js";

/** A server started as a child process and spoken to over stdio. */
export interface StdioTarget {
  command: string;
  args?: string[];
  /** Added to the SDK's safe default environment (`PATH`, `HOME`, …), not to all of `process.env`. */
  env?: Record<string, string>;
  cwd?: string;
  /** Where the child's stderr goes: `inherit` (default), `pipe` or `ignore`. */
  stderr?: IOType;
}

/** A server reached over Streamable HTTP. */
export interface HttpTarget {
  url: string | URL;
  /** Sent with every request (e.g. `Authorization`). */
  headers?: Record<string, string>;
}

/** Where an MCP server is: a command to run (stdio) or a URL (Streamable HTTP). */
export type ClientTarget = StdioTarget | HttpTarget;

function fail(field: string, rule: string): never {
  throw new Error(`@mcpforge/core: createClientTransport(): ${field} must be ${rule}`);
}

function checkStrings(value: unknown, field: string): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(field, "an object of strings");
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") fail(`${field}.${key}`, "a string");
  }
}

/**
 * A client transport for a target: `StdioClientTransport` for `{ command }`,
 * {@link HttpClientTransport} for `{ url }` (http or https; the SDK's
 * `StreamableHTTPClientTransport` remains exported for OAuth or redirects). Checks the target
 * first.
 *
 * @example
 * const client = new Client({ name: "my-tool", version: "1.0.0" });
 * await client.connect(createClientTransport({ command: "node", args: ["server.js"] }));
 */
export function createClientTransport(target: ClientTarget): Transport {
  if (typeof target !== "object" || target === null) fail("the target", "{ command } or { url }");
  if ("command" in target && "url" in target)
    fail("the target", "either { command } or { url }, not both");
  if ("url" in target) {
    const raw = target.url;
    const url =
      raw instanceof URL ? raw : URL.canParse(String(raw)) ? new URL(String(raw)) : undefined;
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      fail("url", "an http:// or https:// URL");
    }
    checkStrings(target.headers, "headers");
    return new HttpClientTransport(url, target.headers ? { headers: target.headers } : {});
  }
  if (typeof target.command !== "string" || target.command.length === 0) {
    fail("command", "a non-empty string");
  }
  if (
    target.args !== undefined &&
    (!Array.isArray(target.args) || target.args.some((a) => typeof a !== "string"))
  ) {
    fail("args", "an array of strings");
  }
  checkStrings(target.env, "env");
  if (target.cwd !== undefined && (typeof target.cwd !== "string" || target.cwd.length === 0)) {
    fail("cwd", "a non-empty string");
  }
  return new StdioClientTransport({
    command: target.command,
    args: target.args ?? [],
    env: { ...getDefaultEnvironment(), ...target.env },
    ...(target.cwd === undefined ? {} : { cwd: target.cwd }),
    stderr: target.stderr ?? "inherit",
  });
}
