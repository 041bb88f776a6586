import type { McpForgeApp } from "@mcpforge/core";
import { createTestClient } from "../test-client.js";
import { RULES } from "./rules/index.js";
import { collectSources } from "./source/collect.js";
import { findToolSites } from "./source/tool-sites.js";
import type { CheckContext, CheckRule, Finding, Severity } from "./types.js";

/** Options of {@link checkServer}. */
export interface CheckServerOptions {
  /**
   * The server's entry file: it and its relative imports are scanned for `eval`, `new Function`,
   * shell `exec` and `vm`, and tool handlers that return objects are found. Without it only the
   * rules over the listed tools, prompts and resources run.
   */
  source?: string;
  /** Base for `source` and for file names in findings (default `process.cwd()`). */
  cwd?: string;
  /** Rule ids to skip. */
  ignore?: string[];
}

/** The result of {@link checkServer}. */
export interface CheckReport {
  /** Findings sorted by severity, rule, then component. */
  findings: Finding[];
  /** Number of findings per severity. */
  counts: Record<Severity, number>;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Every rule id with its default severity and summary, in report order. */
export const checkRules: readonly Pick<CheckRule, "id" | "severity" | "summary">[] = RULES.map(
  ({ id, severity, summary }) => ({ id, severity, summary }),
);

/**
 * The quality checker: lists the app's tools, prompts and resources through the in-memory
 * client and reports missing descriptions, unbounded inputs, unannotated destructive tools,
 * names clients reject, duplicate titles, and (with `source`) missing output schemas and
 * `eval`/`new Function`/shell `exec`/`vm` in the server's own files.
 *
 * @example
 * const report = await checkServer(app, { source: "src/server.ts" });
 * expect(report.findings).toEqual([]);
 */
export async function checkServer(
  app: McpForgeApp<never> | McpForgeApp,
  options: CheckServerOptions = {},
): Promise<CheckReport> {
  if (options.ignore !== undefined && !Array.isArray(options.ignore)) {
    throw new Error("@mcpforge/testing: checkServer(): ignore must be an array of rule ids");
  }
  const client = await createTestClient(app);
  let ctx: CheckContext;
  try {
    const [tools, prompts, resources, templates] = await Promise.all([
      client.listTools(),
      client.listPrompts(),
      client.listResources(),
      client.listResourceTemplates(),
    ]);
    const sources = options.source ? await collectSources(options.source, options.cwd) : [];
    ctx = { tools, prompts, resources, templates, sources, toolSites: findToolSites(sources) };
  } finally {
    await client.close();
  }
  const ignore = new Set(options.ignore ?? []);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (ignore.has(rule.id)) continue;
    for (const raw of rule.check(ctx)) {
      findings.push({ ...raw, rule: rule.id, severity: raw.severity ?? rule.severity });
    }
  }
  findings.sort(
    (a, b) =>
      ORDER[a.severity] - ORDER[b.severity] ||
      RULES.findIndex((r) => r.id === a.rule) - RULES.findIndex((r) => r.id === b.rule) ||
      a.component.name.localeCompare(b.component.name),
  );
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return { findings, counts };
}
