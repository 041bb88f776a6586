import { testPlugin } from "@mcpforge/testing";
import * as z from "zod";
import { createPluginManager, definePlugin } from "../src/index.js";

const secrets = definePlugin({
  name: "secrets",
  version: "1.0.0",
  setup(api) {
    api.tool("secret_names", { description: "Lists secret names" }, () => ["DB_PASSWORD"]);
  },
});

const database = definePlugin({
  name: "database",
  version: "1.0.0",
  dependsOn: ["secrets"],
  options: z.object({ url: z.string().url() }),
  setup(api, { url }) {
    const pool = { url, open: true };
    api.tool("query", { description: "Runs a query", input: { sql: z.string() } }, ({ sql }) => ({
      sql,
      url,
    }));
    api.resource("db://status", { description: "Pool status" }, () =>
      pool.open ? "open" : "closed",
    );
    api.prompt(
      "explain",
      { description: "Explain a query", args: { sql: z.string() } },
      ({ sql }) => `Explain ${sql}`,
    );
    api.extension("com.example/database", { pool: true });
    api.method("com.example/database.ping", {}, () => ({ ok: pool.open }));
    api.onStart(() => {});
    return () => {
      pool.open = false;
    };
  },
});

testPlugin("database", {
  plugin: database,
  options: { url: "postgres://localhost/test" },
  invalidOptions: { url: "not a url" },
  dependencies: [{ plugin: secrets }],
  createPluginManager,
});

testPlugin("secrets", { plugin: secrets, createPluginManager });
