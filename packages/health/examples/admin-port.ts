// Probes and metrics on an admin port of their own, as Kubernetes setups often want.
import { createServer } from "@mcpforge/core";
import { health, redisCheck } from "@mcpforge/health";

const app = createServer({ name: "billing", version: "1.0.0" });
const probes = health({
  adminPort: Number(process.env.ADMIN_PORT ?? 0), // e.g. 9090; 0 picks a free port
  adminHost: process.env.ADMIN_HOST ?? "127.0.0.1", // "0.0.0.0" in a container
  checks: { redis: redisCheck({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" }) },
});
app.use(probes);
app.tool("invoice", { description: "Creates an invoice" }, () => "INV-1");

// SIGTERM: /readyz turns 503 at once while /healthz stays 200 until the drain is over.
const http = await app.listen({ port: 0, handleSignals: true });
console.log("MCP endpoint:", http.url);
for (const path of ["/healthz", "/readyz", "/metrics"]) {
  console.log(path, (await fetch(`${probes.adminUrl}${path}`)).status);
}
console.log(
  "/readyz on the MCP port:",
  (await fetch(http.url.replace(/\/mcp$/, "/readyz"))).status,
);
await http.close();
