// Mount one app into another under a namespace; tool transforms rename, re-describe and hide.
import { createServer } from "@mcpforge/core";
import { mount } from "@mcpforge/plugins";
import { createTestClient } from "@mcpforge/testing";
import * as z from "zod";

const weather = createServer({ name: "weather", version: "1.0.0" });
weather.use({
  onCallTool: async (ctx, next) => {
    console.log(`weather middleware sees ${String(ctx.params.name)}`); // the child's own name
    return next();
  },
});
weather.tool(
  "forecast",
  { description: "Forecast", input: { city: z.string(), units: z.enum(["c", "f"]) } },
  ({ city, units }) => `Sunny in ${city}, 21°${units.toUpperCase()}`,
);
weather.tool("admin_reset", { description: "Resets the cache", tags: ["admin"] }, () => "reset");
weather.resource("weather://stations", {}, () => "OSL, BER");

const app = createServer({ name: "assistant", version: "1.0.0" });
mount(app, weather, {
  namespace: "weather",
  resourcePrefix: "wx", // weather://stations → weather://wx/stations
  tools: {
    exclude: { tags: ["admin"] },
    tools: { forecast: { name: "today", description: "Today's weather", hide: { units: "c" } } },
  },
});

const client = await createTestClient(app);
console.log("tools:", (await client.listTools()).map((t) => t.name).join(", "));
console.log(await client.callTool("weather_today", { city: "Oslo" }));
console.log("resources:", (await client.listResources()).map((r) => r.uri).join(", "));

// Live: what the child registers later reaches the parent's clients.
weather.tool("alerts", { description: "Weather alerts" }, () => "none");
await client.waitForNotification("notifications/tools/list_changed");
console.log("tools:", (await client.listTools()).map((t) => t.name).join(", "));

await client.close();
await app.close();
