// Plugins: options checked at load time, dependency order, teardown, unload and reload.
import { createServer } from "@mcpforge/core";
import { createPluginManager, definePlugin } from "@mcpforge/plugins";
import { createTestClient } from "@mcpforge/testing";
import * as z from "zod";

// A plugin brings tools and the resources they need (here a pretend database pool).
const database = definePlugin({
  name: "database",
  version: "1.0.0",
  dependsOn: ["secrets"],
  options: z.object({ url: z.string().url(), maxRows: z.number().int().max(10_000).default(500) }),
  async setup(api, options) {
    const pool = { url: options.url, open: true }; // e.g. await connect(options.url)
    api.tool(
      "query_database",
      { description: "Runs a read-only query", input: { sql: z.string().max(1000) } },
      ({ sql }) => ({ rows: [], sql, maxRows: options.maxRows }),
    );
    api.logger.info("pool open", { url: options.url }); // every line says plugin: "database"
    return async () => {
      pool.open = false; // teardown: runs on unload, reload and app.close()
      console.log("database: pool closed");
    };
  },
});

const secrets = definePlugin({
  name: "secrets",
  version: "1.0.0",
  setup(api) {
    api.tool("secret_names", { description: "Lists secret names" }, () => ["DB_PASSWORD"]);
  },
});

const app = createServer({ name: "data", version: "1.0.0" });
const plugins = createPluginManager(app);
plugins.use(database, { url: "postgres://db.internal/app" }).use(secrets);
await plugins.load(); // secrets first: database depends on it

const client = await createTestClient(app);
console.log("tools:", (await client.listTools()).map((t) => t.name).join(", "));

// Unload at runtime: everything the plugin registered goes, clients get list_changed.
await plugins.unload("database");
await client.waitForNotification("notifications/tools/list_changed");
console.log("after unload:", (await client.listTools()).map((t) => t.name).join(", "));

// Bad options: one error names the plugin and every bad field (and nothing is registered).
await plugins.reload("database", { url: "not a url", maxRows: 50_000 }).catch((err) => {
  console.log((err as Error).message);
});
await plugins.reload("database", { url: "postgres://replica/app", maxRows: 50 });
console.log("after reload:", await client.callTool("query_database", { sql: "select 1" }));
for (const p of plugins.list())
  console.log(`${p.name}@${p.version}: ${p.state}`, p.registered.tools);

await client.close();
await app.close(); // tears plugins down in reverse order
