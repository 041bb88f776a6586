import { createServer } from "@mcpforge/core";
import { type HealthOptions, health } from "../index.js";

/** An app with `health(options)` served on an ephemeral port; close it when done. */
export async function probedApp(options: HealthOptions) {
  const app = createServer({ name: "deps", version: "1" });
  const mw = health({ details: "always", ...options });
  app.use(mw);
  const http = await app.listen({ port: 0 });
  return { app, mw, http, base: http.url.replace(/\/mcp$/, ""), close: () => http.close() };
}

/** The entry of one check in a report body. */
export function entryOf(body: string, key: string): Record<string, unknown> | undefined {
  const report = JSON.parse(body) as { checks?: Record<string, Record<string, unknown>[]> };
  return report.checks?.[key]?.[0];
}
