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
import { arg } from "./child.js";
import { modeArg, serveCounted } from "./serve.js";

const mode = modeArg(0);
const variant = arg(1, "health");

const app = createServer({ name: "bench-forge-health", version: "1.0.0" });
const probes = variant === "health" ? health() : undefined;
if (probes) app.use(probes);
// The operation histogram's count for `echo` (it must equal the calls).
await serveCounted(app, mode, async () => {
  const metric = await probes?.registry
    ?.getSingleMetric("mcp_server_operation_duration_seconds")
    ?.get();
  if (!metric) return -1;
  return metric.values
    .filter(
      (v) =>
        (v as { metricName?: string }).metricName ===
          "mcp_server_operation_duration_seconds_count" && v.labels.gen_ai_tool_name === "echo",
    )
    .reduce((sum, v) => sum + v.value, 0);
});
