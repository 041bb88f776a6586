// Load the plugins a JSON config names: modules and options are data, never code.
import { createServer } from "@mcpforge/core";
import { loadPlugins } from "@mcpforge/plugins";
import { createTestClient } from "@mcpforge/testing";

const app = createServer({ name: "configured", version: "1.0.0" });
const config = new URL("./mcpforge.plugins.json", import.meta.url).pathname;
const plugins = await loadPlugins(app, config, { env: { GREETING: "Hi" } }); // default: process.env

for (const p of plugins.list()) console.log(`${p.name}: ${p.state}`);
const client = await createTestClient(app);
console.log(await client.callTool("greet", { name: "Ada" }));

// A config may only name modules: a URL (data:, http:, …) is refused.
await loadPlugins(createServer({ name: "x", version: "1.0.0" }), {
  plugins: [{ module: "data:text/javascript,export default {}" }],
}).catch((err) => console.log((err as Error).message));

await client.close();
await app.close();
