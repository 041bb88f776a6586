import { homedir } from "node:os";
import { join } from "node:path";

/** The clients `mcpforge install` writes to, plus `mcp-json` (print only). */
export const CLIENTS = ["claude-desktop", "claude-code", "cursor", "vscode", "mcp-json"] as const;
export type ClientName = (typeof CLIENTS)[number];

/** A stdio server entry in a client's config. */
export interface ServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Where a client keeps its MCP servers and how an entry looks there. */
export interface ClientConfig {
  file: string;
  /** The top-level key holding servers by name. */
  key: "mcpServers" | "servers";
  entry(server: ServerEntry): Record<string, unknown>;
}

/** Where the platform keeps per-user app data (`~/Library/Application Support`, `%APPDATA%`, XDG). */
function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === "darwin") return join(home, "Library", "Application Support");
  if (platform === "win32") return env.APPDATA || join(home, "AppData", "Roaming");
  return env.XDG_CONFIG_HOME || join(home, ".config");
}

const plain = (s: ServerEntry) => ({ ...s });
const typed = (s: ServerEntry) => ({ type: "stdio", ...s });

/**
 * A client's MCP config file for this user and OS:
 * Claude Desktop `…/Claude/claude_desktop_config.json`, Claude Code `~/.claude.json` (user
 * scope), Cursor `~/.cursor/mcp.json`, VS Code `…/Code/User/mcp.json` (`servers` key).
 *
 * @example
 * clientConfig("cursor").file; // "/home/me/.cursor/mcp.json"
 */
export function clientConfig(
  client: Exclude<ClientName, "mcp-json">,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): ClientConfig {
  switch (client) {
    case "claude-desktop":
      return {
        file: join(appDataDir(env, platform, home), "Claude", "claude_desktop_config.json"),
        key: "mcpServers",
        entry: plain,
      };
    case "claude-code":
      return { file: join(home, ".claude.json"), key: "mcpServers", entry: typed };
    case "cursor":
      return { file: join(home, ".cursor", "mcp.json"), key: "mcpServers", entry: plain };
    case "vscode":
      return {
        file: join(appDataDir(env, platform, home), "Code", "User", "mcp.json"),
        key: "servers",
        entry: typed,
      };
  }
}
