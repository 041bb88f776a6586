import { createServer } from "@mcpforge/core";
import { createPluginManager, definePlugin } from "@mcpforge/plugins";
import { createTestClient } from "@mcpforge/testing";
import { describe, expect, it } from "vitest";
import { health } from "./health.js";
import { httpGet } from "./test-utils/http.js";

describe("health() inside a plugin", () => {
  it("installs with api.use(): probes, tool and readiness follow the plugin's app; unloading removes them", async () => {
    const healthPlugin = definePlugin({
      name: "health",
      version: "1.0.0",
      setup(api) {
        api.use(health({ tool: true, checks: { ok: () => true } }));
      },
    });
    const app = createServer({ name: "with-plugins", version: "1" });
    const plugins = createPluginManager(app).use(healthPlugin);
    const http = await app.listen({ port: 0 });
    try {
      const base = http.url.replace(/\/mcp$/, "");
      expect((await httpGet(`${base}/readyz`)).status).toBe(200);
      expect((await httpGet(`${base}/metrics`)).status).toBe(200);
      await using client = await createTestClient(app);
      const result = await client.client.callTool({ name: "health_check", arguments: {} });
      expect(result.structuredContent).toEqual({ status: "pass" });
      await plugins.unload("health");
      expect((await httpGet(`${base}/readyz`)).status).toBe(404);
      expect((await client.listTools()).map((t) => t.name)).toEqual([]);
    } finally {
      await http.close();
    }
  });
});
