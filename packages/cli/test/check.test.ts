import { checkRules } from "@mcpforge/testing";
import { describe, expect, it } from "vitest";
import { DEMO, fixture, runCli } from "./helpers/cli.js";

interface Report {
  findings: { rule: string; severity: string; component: { type: string; name: string } }[];
  counts: { error: number; warning: number; info: number };
}

describe("mcpforge check", () => {
  it("finds every rule exactly once in the deliberately bad server", async () => {
    const r = await runCli(["check", fixture("bad-server.ts"), "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => f.rule).sort()).toEqual(checkRules.map((c) => c.id).sort());
    const byRule = Object.fromEntries(report.findings.map((f) => [f.rule, f]));
    expect(byRule["tool-description"]?.component).toEqual({ type: "tool", name: "undocumented" });
    expect(byRule["destructive-without-hint"]?.component.name).toBe("delete_user");
    expect(byRule["no-vm"]?.component.name).toMatch(/bad-helper\.ts$/);
    expect(report.counts).toEqual({ error: 5, warning: 11, info: 0 });
  });

  it("prints each finding with its rule, place and a fix hint", async () => {
    const r = await runCli(["check", fixture("bad-server.ts")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error +no-eval +.*bad-server\.ts:\d+:\d+$/m);
    expect(r.stdout).toMatch(/^ {2}fix: Use execFile\/spawn/m);
    expect(r.stderr).toContain("5 errors, 11 warnings");
  });

  it("finds nothing in a clean server", async () => {
    const r = await runCli(["check", fixture("clean-server.ts"), "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      findings: [],
      counts: { error: 0, warning: 0, info: 0 },
    });
    expect(r.stderr).toContain("no findings");
  });

  it("exits 0 on warnings alone, 1 with --strict", async () => {
    const errors = checkRules.filter((c) => c.severity === "error").map((c) => c.id);
    const ignore = errors.flatMap((id) => ["--ignore", id]);
    const lenient = await runCli(["check", fixture("bad-server.ts"), ...ignore]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain("0 errors, 11 warnings");
    const strict = await runCli(["check", fixture("bad-server.ts"), "--strict", ...ignore]);
    expect(strict.code).toBe(1);
  });

  it("demo-basic has one finding: process_data_batch takes any number on purpose", async () => {
    const r = await runCli(["check", DEMO, "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => [f.rule, f.component.name])).toEqual([
      ["unbounded-number", "process_data_batch"],
    ]);
  });

  it("exits 2 when the file cannot be loaded", async () => {
    const r = await runCli(["check", fixture("no-app.ts")]);
    expect(r.code).toBe(2);
  });
});
