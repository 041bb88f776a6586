/**
 * How the MCP Forge HTTP entries serve: `echo` and `add` with a call counter, `{ type: "stats" }`
 * answered with the calls served and the process's CPU time so far (µs), then `listen()` on an
 * ephemeral port and `ready` with its URL.
 */
import type { ListenOptions, McpForgeApp } from "@mcpforge/core";
import { arg, report, serveParent } from "./child.js";
import { forgeTools } from "./tools.js";
import { compute } from "./work.js";

/** The `stateless | stateful` positional argument at `i` (default stateless). */
export function modeArg(i = 0): "stateless" | "stateful" {
  return arg(i, "stateless") === "stateful" ? "stateful" : "stateless";
}

/** Listens on an ephemeral port, exits when the parent says so, and reports `ready`. */
export async function serveForge(app: McpForgeApp, options: ListenOptions): Promise<void> {
  const http = await app.listen({ port: 0, ...options });
  serveParent(() => http.close());
  report({ type: "ready", url: http.url });
}

/**
 * Adds `echo` and `add`, answers `stats` with the echo calls, the CPU time (µs) and
 * `spans()` (what the entry counts besides: exported spans, observed histogram entries; -1
 * for none), and serves over HTTP in `mode`; each `echo` first runs `workIterations` steps of
 * `compute()` (default none).
 */
export async function serveCounted(
  app: McpForgeApp,
  mode: "stateless" | "stateful",
  spans: () => number | Promise<number> = () => -1,
  workIterations = 0,
): Promise<void> {
  let calls = 0;
  forgeTools(app, () => {
    calls++;
    if (workIterations > 0) compute(workIterations);
  });
  process.on("message", async (m: { type?: string }) => {
    if (m.type !== "stats") return;
    const cpu = process.cpuUsage();
    report({
      type: "result",
      calls,
      cpuMicros: cpu.user + cpu.system,
      spans: await spans(),
    });
  });
  await serveForge(app, { mode });
}
