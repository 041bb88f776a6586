// An MCP extension as a plugin: a capability entry, a custom method, a tool-call interceptor, a lifespan.
import { createServer } from "@mcpforge/core";
import { createPluginManager, definePlugin } from "@mcpforge/plugins";
import { createTestClient } from "@mcpforge/testing";
import * as z from "zod";

const audit = definePlugin({
  name: "com.example.audit",
  version: "1.0.0",
  setup(api) {
    const entries: string[] = [];
    // capabilities.extensions["com.example/audit"] in the initialize result (SEP-2133)
    api.extension("com.example/audit", { version: 1 });
    // a new JSON-RPC request method (MCP's own names are refused)
    api.method(
      "com.example/audit.list",
      { params: { limit: z.number().int().max(100) } },
      ({ limit }) => ({
        entries: entries.slice(-limit),
      }),
    );
    // a tool-call interceptor is middleware
    api.use({
      onCallTool: async (ctx, next) => {
        entries.push(`tools/call ${String(ctx.params.name)}`);
        return next();
      },
    });
    // a lifespan: start and stop what the extension needs
    api.onStart(() => console.log("audit: started"));
    api.onClose(() => console.log("audit: stopped"));
  },
});

const app = createServer({ name: "audited", version: "1.0.0" });
app.tool("ping_db", { description: "Pings the database" }, () => "pong");
await createPluginManager(app).use(audit).load();

const client = await createTestClient(app);
console.log("capability:", JSON.stringify(client.client.getServerCapabilities()?.extensions));
await client.callTool("ping_db");
const list = await client.client.request(
  { method: "com.example/audit.list", params: { limit: 10 } },
  z.object({ entries: z.array(z.string()) }),
);
console.log("audit:", list.entries);

await client.close();
await app.close();
