import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clientConfig } from "./clients.js";

const home = "/home/ada";

describe("clientConfig", () => {
  it("puts Claude Desktop and VS Code where each OS keeps app data", () => {
    const mac = "/Users/ada";
    expect(clientConfig("claude-desktop", {}, "darwin", mac).file).toBe(
      join(mac, "Library/Application Support/Claude/claude_desktop_config.json"),
    );
    expect(clientConfig("vscode", {}, "darwin", mac).file).toBe(
      join(mac, "Library/Application Support/Code/User/mcp.json"),
    );
    const appData = "C:\\Users\\ada\\AppData\\Roaming";
    expect(
      clientConfig("claude-desktop", { APPDATA: appData }, "win32", "C:\\Users\\ada").file,
    ).toBe(join(appData, "Claude", "claude_desktop_config.json"));
    expect(clientConfig("claude-desktop", {}, "linux", home).file).toBe(
      join(home, ".config/Claude/claude_desktop_config.json"),
    );
    expect(clientConfig("vscode", { XDG_CONFIG_HOME: "/x" }, "linux", home).file).toBe(
      "/x/Code/User/mcp.json",
    );
  });

  it("keeps Claude Code and Cursor in the home folder on every OS", () => {
    for (const os of ["darwin", "win32", "linux"] as const) {
      expect(clientConfig("claude-code", {}, os, home).file).toBe(join(home, ".claude.json"));
      expect(clientConfig("cursor", {}, os, home).file).toBe(join(home, ".cursor/mcp.json"));
    }
  });

  it("uses `servers` with a stdio type for VS Code, `mcpServers` elsewhere", () => {
    const server = { command: "node", args: ["x"] };
    expect(clientConfig("vscode").key).toBe("servers");
    expect(clientConfig("vscode").entry(server)).toEqual({ type: "stdio", ...server });
    expect(clientConfig("claude-code").entry(server)).toEqual({ type: "stdio", ...server });
    expect(clientConfig("cursor").key).toBe("mcpServers");
    expect(clientConfig("claude-desktop").entry(server)).toEqual(server);
  });
});
