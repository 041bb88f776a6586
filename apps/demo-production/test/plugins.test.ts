// Both plugins pass the plugin contract suite of @mcpforge/testing (load, described tools,
// unload leaves nothing, reload, clean teardown, bad options refused with the plugin's name),
// and plugins.json loads them as data.
import { createServer } from "@mcpforge/core";
import { createPluginManager, loadPlugins } from "@mcpforge/plugins";
import { testPlugin } from "@mcpforge/testing";
import { describe, expect, it } from "vitest";
import { databasePlugin } from "../src/plugins/database.js";
import { notesPlugin } from "../src/plugins/notes.js";
import { PLUGINS_CONFIG } from "../src/server.js";
import { DATABASE_URL } from "./helpers.js";

const options = { url: DATABASE_URL, schema: "demo_production", poolSize: "2" };

testPlugin("database", {
  plugin: databasePlugin,
  options,
  invalidOptions: { url: "mysql://elsewhere", maxRows: 1_000_000 },
  createPluginManager,
});

testPlugin("notes", {
  plugin: notesPlugin,
  options,
  invalidOptions: { url: DATABASE_URL, schema: "Robert'); DROP TABLE students;--" },
  createPluginManager,
});

describe("plugins.json", () => {
  it("names both plugins and takes their options from the settings", async () => {
    const app = createServer({ name: "config", version: "1.0.0" });
    const manager = await loadPlugins(app, PLUGINS_CONFIG, {
      env: {
        DATABASE_URL,
        DATABASE_POOL_SIZE: "2",
        DATABASE_SCHEMA: "demo_production",
        QUERY_TIMEOUT_MS: "1000",
        QUERY_MAX_ROWS: "10",
      },
    });
    try {
      expect(manager.list().map((p) => [p.name, p.state])).toEqual([
        ["database", "loaded"],
        ["notes", "loaded"],
      ]);
      expect(
        app
          .components("tool")
          .map((c) => c.key)
          .sort(),
      ).toEqual([
        "create_note",
        "delete_note",
        "get_table_schema",
        "import_notes",
        "list_notes",
        "query_database",
        "search_notes",
      ]);
    } finally {
      await app.close();
    }
  });
});
