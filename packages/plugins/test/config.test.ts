// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config values use ${VAR} on purpose
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestClient } from "@mcpforge/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPluginManager, loadPlugins } from "../src/index.js";
import { testApp, tsNode } from "./helpers.js";

const PLUGINS_PKG = fileURLToPath(new URL("..", import.meta.url));
const CORE_PKG = fileURLToPath(new URL("../node_modules/@mcpforge/core", import.meta.url));
const ZOD_PKG = fileURLToPath(new URL("../node_modules/zod", import.meta.url));

let dir: string;

/** A plugin module with a named export, shipped as a package and as a file next to the config. */
const DB_PLUGIN_SOURCE = `import { definePlugin } from "@mcpforge/plugins";
import * as z from "zod";
export const databasePlugin = definePlugin({
  name: "com.acme.db",
  version: "2.0.0",
  options: z.object({ url: z.string().url(), maxRows: z.coerce.number().int().max(10000).default(500) }),
  setup(api, options) {
    api.tool("query_database", { description: "Runs a query" }, () => ({ url: options.url, maxRows: options.maxRows }));
  },
});
`;

/** Writes a file under the temp dir (creating folders). */
async function put(path: string, text: string): Promise<string> {
  const full = join(dir, path);
  await mkdir(join(full, ".."), { recursive: true });
  await writeFile(full, text);
  return full;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcpforge-plugins-"));
  // the temp project sees @mcpforge/plugins and zod as if installed
  await mkdir(join(dir, "node_modules/@mcpforge"), { recursive: true });
  await symlink(PLUGINS_PKG, join(dir, "node_modules/@mcpforge/plugins"), "dir");
  await symlink(CORE_PKG, join(dir, "node_modules/@mcpforge/core"), "dir");
  await symlink(ZOD_PKG, join(dir, "node_modules/zod"), "dir");

  await put(
    "plugins/greeter.mjs",
    `import { definePlugin } from "@mcpforge/plugins";
import * as z from "zod";
export default definePlugin({
  name: "greeter",
  version: "1.2.0",
  dependsOn: ["com.acme.db"],
  options: z.object({ greeting: z.string(), punctuation: z.string().default("!") }),
  setup(api, { greeting, punctuation }) {
    api.tool("greet", { input: { name: z.string() } }, ({ name }) => greeting + ", " + name + punctuation);
  },
});
`,
  );
  await put(
    "node_modules/@acme/mcp-db/package.json",
    JSON.stringify({ name: "@acme/mcp-db", type: "module", exports: { ".": "./index.mjs" } }),
  );
  await put("node_modules/@acme/mcp-db/index.mjs", DB_PLUGIN_SOURCE);
  await put("plugins/db.mjs", DB_PLUGIN_SOURCE);
  await put(
    "server.mjs",
    `import { createServer } from "@mcpforge/core";
import { loadPlugins } from "@mcpforge/plugins";
const app = createServer({ name: "configured", version: "1.0.0" });
await loadPlugins(app, new URL("./mcpforge.plugins.json", import.meta.url).pathname);
await app.run();
`,
  );
  await put("plugins/not-a-plugin.mjs", "export default { name: 'x', setup() {} };\n");
  await put(
    "plugins/broken.mjs",
    `import { definePlugin } from "@mcpforge/plugins";
export default definePlugin({ name: "broken", version: "1", setup() { throw new Error("no database"); } });
`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function config(name: string, value: unknown): Promise<string> {
  return put(name, JSON.stringify(value, null, 2));
}

describe("loadPlugins(): config-driven loading", () => {
  it("a server loads plugins from its JSON config (package name and relative path, env options)", async () => {
    // a real Node process (module resolution from the config's folder), the SDK client in front
    await config("mcpforge.plugins.json", {
      $schema: "https://example.com/plugins.schema.json",
      plugins: [
        { module: "./plugins/greeter.mjs", options: { greeting: "${GREETING:-Hello}" } },
        {
          module: "@acme/mcp-db",
          export: "databasePlugin",
          options: { url: "${DB_URL}", maxRows: "${MAX_ROWS:-500}" },
          required: true,
        },
      ],
    });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: tsNode(join(dir, "server.mjs")),
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", DB_URL: "postgres://db.internal/app", MAX_ROWS: "42" },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (d) => {
      stderr += d;
    });
    const client = new Client({ name: "t", version: "1" });
    try {
      await client.connect(transport);
      // the dependency (com.acme.db) was set up first
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual([
        "query_database",
        "greet",
      ]);
      const greet = await client.callTool({ name: "greet", arguments: { name: "Ada" } });
      expect(greet.content).toEqual([{ type: "text", text: "Hello, Ada!" }]);
      const db = await client.callTool({ name: "query_database", arguments: {} });
      expect(db.structuredContent).toEqual({ url: "postgres://db.internal/app", maxRows: 42 });
    } catch (err) {
      throw new Error(`${(err as Error).message}; server stderr: ${stderr}`);
    } finally {
      await client.close();
    }
  });

  it("loads plugins in process from a config file, and reports them", async () => {
    const file = await config("in-process.json", {
      plugins: [
        { module: "./plugins/greeter.mjs", options: { greeting: "Hi", punctuation: "." } },
        { module: "./plugins/db.mjs", export: "databasePlugin", options: { url: "${DB_URL}" } },
      ],
    });
    const app = testApp();
    const plugins = await loadPlugins(app, file, { env: { DB_URL: "postgres://db/app" } });
    expect(plugins.list().map((p) => [p.name, p.version, p.state])).toEqual([
      ["greeter", "1.2.0", "loaded"],
      ["com.acme.db", "2.0.0", "loaded"],
    ]);
    const client = await createTestClient(app);
    expect(await client.callTool("greet", { name: "Ada" })).toBe("Hi, Ada.");
    expect(await client.callTool("query_database")).toEqual({
      url: "postgres://db/app",
      maxRows: 500,
    });
  });

  it("takes a plain object, with modules resolved from baseDir, and an existing manager", async () => {
    const app = testApp();
    const manager = createPluginManager(app);
    await loadPlugins(
      manager,
      {
        plugins: [
          {
            module: "./plugins/db.mjs",
            export: "databasePlugin",
            options: { url: "https://x.example" },
          },
        ],
      },
      { baseDir: dir, env: {} },
    );
    expect(manager.get("com.acme.db")?.state).toBe("loaded");
  });

  it("refuses unknown keys in the config, with their path, and bad JSON", async () => {
    const file = await config("bad-keys.json", {
      plugins: [{ module: "./plugins/greeter.mjs", requird: true }],
      extra: 1,
    });
    await expect(loadPlugins(testApp(), file)).rejects.toThrow(
      /invalid plugins config .*bad-keys\.json: (extra: unknown key; plugins\[0\]\.requird: unknown key|plugins\[0\]\.requird: unknown key; extra: unknown key)/,
    );
    const wrongType = await config("wrong-type.json", { plugins: [{ module: 42 }] });
    await expect(loadPlugins(testApp(), wrongType)).rejects.toThrow(/plugins\[0\]\.module: /);
    const notJson = await put("not-json.json", "{ plugins: [ }");
    await expect(loadPlugins(testApp(), notJson)).rejects.toThrow(/not-json\.json is not JSON/);
    await expect(loadPlugins(testApp(), join(dir, "missing.json"))).rejects.toThrow(
      /cannot read plugins config/,
    );
  });

  it("a module that does not export a plugin, or cannot be found, is a clear error", async () => {
    const notPlugin = await config("not-plugin.json", {
      plugins: [{ module: "./plugins/not-a-plugin.mjs" }],
    });
    await expect(loadPlugins(testApp(), notPlugin)).rejects.toThrow(
      'module "./plugins/not-a-plugin.mjs" does not export a plugin as "default" (found an object; make one with definePlugin())',
    );
    const wrongExport = await config("wrong-export.json", {
      plugins: [{ module: "./plugins/db.mjs", export: "nope" }],
    });
    await expect(loadPlugins(testApp(), wrongExport)).rejects.toThrow(
      /does not export a plugin as "nope" \(found nothing/,
    );
    const missing = await config("missing-module.json", {
      plugins: [{ module: "@acme/not-installed" }],
    });
    await expect(loadPlugins(testApp(), missing)).rejects.toThrow(
      /plugins\[0\]: .*@acme\/not-installed/,
    );
  });

  it("never runs code from the config: URLs (data:, http:, node:) are refused", async () => {
    for (const module of [
      "data:text/javascript,export default 1",
      "http://example.com/plugin.js",
      "node:fs",
      "file:///etc/passwd",
    ]) {
      const file = await config("url.json", { plugins: [{ module }] });
      await expect(loadPlugins(testApp(), file), module).rejects.toThrow(
        /is a URL: name a package or a path/,
      );
    }
  });

  it("a missing environment variable is an error naming it", async () => {
    const file = await config("env.json", {
      plugins: [
        { module: "./plugins/db.mjs", export: "databasePlugin", options: { url: "${DB_URL}" } },
      ],
    });
    await expect(loadPlugins(testApp(), file, { env: {} })).rejects.toThrow(
      /env\.json plugins\[0\]\.options\.url: environment variable DB_URL is not set/,
    );
  });

  it("required: false entries that fail to import or set up are logged and skipped", async () => {
    const file = await config("optional.json", {
      plugins: [
        { module: "./plugins/missing.mjs", required: false },
        { module: "./plugins/broken.mjs", required: false },
        {
          module: "./plugins/db.mjs",
          export: "databasePlugin",
          options: { url: "https://db.example" },
        },
      ],
    });
    const app = testApp();
    const plugins = await loadPlugins(app, file);
    expect(plugins.list().map((p) => [p.name, p.state])).toEqual([
      ["broken", "failed"],
      ["com.acme.db", "loaded"],
    ]);
    const warnings = app.log.lines.filter((l) => l.level === "warn").map((l) => l.msg);
    expect(
      warnings.some((w) => w.includes('plugins[0]: cannot import module "./plugins/missing.mjs"')),
    ).toBe(true);
    expect(warnings.some((w) => w.includes('plugin "broken": setup failed: no database'))).toBe(
      true,
    );
  });

  it("a required plugin that fails stops loading with an error naming it", async () => {
    const file = await config("required.json", { plugins: [{ module: "./plugins/broken.mjs" }] });
    await expect(loadPlugins(testApp(), file)).rejects.toThrow(
      '@mcpforge/plugins: plugin "broken": setup failed: no database',
    );
  });
});
