import type { Context } from "@mcpforge/core";
import type { SetupApi } from "@mcpforge/core/authoring";
import { check } from "./options.js";
import type { HealthReport } from "./report.js";

/** What registers tools: the app (`app.use()`) and a plugin's API (`api.use()`) both do. */
interface ToolHost {
  tool(
    name: string,
    options: { title: string; description: string; annotations: Record<string, boolean> },
    handler: (args: unknown, ctx: Context) => Promise<HealthReport>,
  ): unknown;
}

/**
 * Registers the read-only `health_check` tool: the readiness report as structured content.
 *
 * @example
 * app.use({
 *   setup(api) {
 *     registerHealthTool(api, "health_check", async (ctx) => ({ status: ctx.auth ? "pass" : "warn" }));
 *   },
 * });
 */
export function registerHealthTool(
  api: SetupApi,
  name: string,
  report: (ctx: Context) => Promise<HealthReport>,
): void {
  const host = api as SetupApi & Partial<ToolHost>;
  if (typeof host.tool !== "function") {
    throw check.error(
      "health",
      "tool: this setup API cannot register tools (install health() with app.use() or a plugin's api.use())",
    );
  }
  host.tool(
    name,
    {
      title: "Health check",
      description:
        "Reports whether this server is ready and how its dependencies are doing (IETF health-check format).",
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (_args, ctx) => report(ctx),
  );
}
