import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HttpServerHandle } from "@mcpforge/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConformanceServer } from "../src/server.js";
import { describeFailures, runSuite, SCENARIOS, SUITE_TIMEOUT_MS, type SuiteRun } from "./suite.js";

describe("official MCP conformance suite 0.1.16 (--suite all)", () => {
  let http: HttpServerHandle | undefined;
  let outputDir: string | undefined;
  /** The suite's results, or why it could not run (each test then fails with that error). */
  let outcome: SuiteRun | Error;
  const suite = (): SuiteRun => {
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };

  beforeAll(async () => {
    outcome = await (async () => {
      http = await createConformanceServer().listen({
        host: "127.0.0.1",
        port: 0,
        mode: "stateful",
      });
      outputDir = await mkdtemp(join(tmpdir(), "mcpforge-conformance-"));
      return runSuite(http.url, outputDir);
    })().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
  }, SUITE_TIMEOUT_MS);

  afterAll(async () => {
    await http?.close();
    if (outputDir) await rm(outputDir, { recursive: true, force: true });
  });

  it("ran all 32 server scenarios", () => {
    const run = suite();
    const ran = [...run.summary.keys()];
    const missing = SCENARIOS.filter((s) => !run.summary.has(s));
    const unexpected = ran.filter((s) => !SCENARIOS.includes(s));
    expect(
      { missing, unexpected },
      `suite output:\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`,
    ).toEqual({ missing: [], unexpected: [] });
    expect(ran).toHaveLength(32);
    expect([...run.checks.keys()].sort(), "a checks.json for every scenario").toEqual(
      [...SCENARIOS].sort(),
    );
  });

  it("passes every scenario", () => {
    const run = suite();
    const failing = SCENARIOS.filter((s) => {
      const summary = run.summary.get(s);
      const checks = run.checks.get(s) ?? [];
      return (
        !summary ||
        summary.failed > 0 ||
        summary.passed === 0 ||
        checks.some((c) => c.status === "FAILURE")
      );
    });
    expect(
      failing,
      `failing scenarios: ${failing.map((s) => describeFailures(run, s)).join(", ")}`,
    ).toEqual([]);
    expect(run.exitCode, `suite exit code; stderr:\n${run.stderr.slice(-4000)}`).toBe(0);
    expect(run.stdout).toMatch(/Total: \d+ passed, 0 failed/);
  });

  it("records no warnings, so the weak spots really are exercised", () => {
    const run = suite();
    const warnings = [...run.checks].flatMap(([scenario, checks]) =>
      checks
        .filter((c) => c.status === "WARNING")
        .map((c) => `${scenario}: ${c.name}: ${c.errorMessage ?? c.description}`),
    );
    expect(warnings).toEqual([]);
    // server-sse-polling passes with warnings alone unless the server primes and closes streams.
    const polling = run.checks.get("server-sse-polling") ?? [];
    expect(polling.filter((c) => c.status === "SUCCESS").length).toBeGreaterThan(0);
  });
});
