import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const EXAMPLES = ["quick-start", "dependencies", "metrics", "admin-port"];

function runExample(name: string) {
  return run(
    process.execPath,
    ["--conditions=@mcpforge/source", "--import", "tsx", `examples/${name}.ts`],
    { cwd: packageDir, timeout: 30_000 },
  );
}

describe("README examples", () => {
  it.each(EXAMPLES)("the README shows examples/%s.ts unchanged", async (name) => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const code = await readFile(new URL(`../examples/${name}.ts`, import.meta.url), "utf8");
    expect(readme).toContain(`\`\`\`ts\n// examples/${name}.ts\n${code}\`\`\``);
  });

  it("examples/quick-start.ts: probes answer, readiness lists the checks", async () => {
    const { stdout } = await runExample("quick-start");
    expect(stdout).toContain("GET /healthz 200 application/health+json");
    expect(stdout).toContain(
      "GET /readyz 200 pass eventLoop:delay, heap:utilization, config:status",
    );
    expect(stdout).toContain("HEAD /readyz 200");
  });

  it("examples/dependencies.ts: Redis, PostgreSQL and HTTP pass; the non-critical TCP check warns", async () => {
    const { stdout } = await runExample("dependencies");
    expect(stdout).toContain("/readyz 200: warn");
    expect(stdout).toContain("redis:responseTime: pass");
    expect(stdout).toContain("db:responseTime: pass");
    expect(stdout).toContain("upstream:responseTime: pass");
    expect(stdout).toMatch(/smtp:connectTime: warn \(connect ECONNREFUSED/);
  });

  it("examples/metrics.ts: histogram counts and the limiter's and cache's counters", async () => {
    const { stdout } = await runExample("metrics");
    expect(stdout).toContain(
      'mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call",gen_ai_tool_name="search"} 3',
    );
    expect(stdout).toContain('error_type="-32029"} 2');
    expect(stdout).toContain(
      'mcpforge_rate_limit_decisions_total{limiter="search",decision="limited"} 2',
    );
    expect(stdout).toContain('mcpforge_cache_requests_total{cache="responses",result="hit"} 1');
  });

  it("examples/admin-port.ts: probes and metrics on the admin port only", async () => {
    const { stdout } = await runExample("admin-port");
    expect(stdout).toContain("/healthz 200");
    expect(stdout).toContain("/readyz 200");
    expect(stdout).toContain("/metrics 200");
    expect(stdout).toContain("/readyz on the MCP port: 404");
  });
});
