// Liveness, readiness and a custom check, installed with one line.
import { existsSync } from "node:fs";
import { createServer } from "@mcpforge/core";
import { eventLoopCheck, health, heapCheck } from "@mcpforge/health";

const app = createServer({ name: "weather", version: "1.0.0" });
app.use(
  health({
    checks: {
      eventLoop: eventLoopCheck({ maxDelayMs: 500 }),
      heap: heapCheck({ maxUsedRatio: 0.9 }),
      // Any async function is a check: true or undefined passes, false or a throw fails.
      config: async () => existsSync(process.execPath),
    },
    details: "always", // the default, "never", answers with the status alone
  }),
);
app.tool("get_weather", { description: "Tomorrow's weather" }, () => "sunny");

const http = await app.listen({ port: 0 });
const base = http.url.replace(/\/mcp$/, "");

// Orchestrators send the pod IP as Host and no credentials: probes answer before those checks.
const live = await fetch(`${base}/healthz`);
console.log("GET /healthz", live.status, live.headers.get("content-type"));
const ready = await fetch(`${base}/readyz`);
const report = (await ready.json()) as { status: string; checks: Record<string, unknown[]> };
console.log("GET /readyz", ready.status, report.status, Object.keys(report.checks).join(", "));
console.log("HEAD /readyz", (await fetch(`${base}/readyz`, { method: "HEAD" })).status);

await http.close();
