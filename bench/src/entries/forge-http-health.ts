/**
 * MCP Forge over Streamable HTTP with `health()` from `@mcpforge/health` (its metrics
 * middleware on: the operation histogram, in-flight gauge, process default metrics) or
 * without it: `node forge-http-health.js <stateless|stateful> <none|health>`.
 *
 * Answers `{ type: "stats" }` with the `echo` calls served and the process's CPU time so far
 * (µs), and the operation histogram's count for `echo` (it must equal the calls).
 */
import { createServer } from "@mcpforge/core";
import { health } from "@mcpforge/health";
import * as z from "zod";
import { arg, report, serveParent } from "./child.js";

const mode = arg(0, "stateless") === "stateful" ? "stateful" : "stateless";
const variant = arg(1, "health");

const app = createServer({ name: "bench-forge-health", version: "1.0.0" });
const probes = variant === "health" ? health() : undefined;
if (probes) app.use(probes);
let calls = 0;
app.tool("echo", { description: "Echoes text", input: { text: z.string() } }, ({ text }) => {
  calls++;
  return text;
});
app.tool(
  "add",
  { description: "Adds two numbers", input: { a: z.number(), b: z.number() } },
  ({ a, b }) => String(a + b),
);

process.on("message", async (m: { type?: string }) => {
  if (m.type !== "stats") return;
  const cpu = process.cpuUsage();
  let observed = -1;
  const metric = await probes?.registry
    ?.getSingleMetric("mcp_server_operation_duration_seconds")
    ?.get();
  if (metric) {
    observed = metric.values
      .filter(
        (v) =>
          (v as { metricName?: string }).metricName ===
            "mcp_server_operation_duration_seconds_count" && v.labels.gen_ai_tool_name === "echo",
      )
      .reduce((sum, v) => sum + v.value, 0);
  }
  report({ type: "result", calls, cpuMicros: cpu.user + cpu.system, spans: observed });
});

const http = await app.listen({ port: 0, mode });
serveParent(() => http.close());
report({ type: "ready", url: http.url });
