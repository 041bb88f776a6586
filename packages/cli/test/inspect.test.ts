import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type RunningCli, runCli, startHttp } from "./helpers/cli.js";

const DEMO_TOOLS = [
  "greet",
  "calculate_compound_interest",
  "format_currency",
  "advanced_search",
  "read_file_safe",
  "process_data_batch",
  "calculate",
  "nth_prime",
];

let http: RunningCli;
let url: string;

beforeAll(async () => {
  ({ server: http, url } = await startHttp(DEMO));
});

afterAll(() => http.stop());

describe("mcpforge inspect", () => {
  it("prints stable JSON for a file: server info, capabilities, schemas, annotations", async () => {
    const r = await runCli(["inspect", DEMO, "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual([
      "server",
      "instructions",
      "capabilities",
      "tools",
      "resources",
      "resourceTemplates",
      "prompts",
    ]);
    expect(report.server).toMatchObject({ name: "demo-basic", version: "0.1.0" });
    expect(report.capabilities.tools).toEqual({ listChanged: true });
    expect(report.tools.map((t: { name: string }) => t.name)).toEqual(DEMO_TOOLS);
    const greet = report.tools.find((t: { name: string }) => t.name === "greet");
    expect(greet.inputSchema.properties.name).toMatchObject({ type: "string", maxLength: 100 });
    expect(greet.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    const prime = report.tools.find((t: { name: string }) => t.name === "nth_prime");
    expect(prime.outputSchema.properties.prime).toEqual({ type: "number" });
    expect(report.resourceTemplates.map((t: { uriTemplate: string }) => t.uriTemplate)).toContain(
      "data://primes/{n}",
    );
    expect(report.prompts[0]).toMatchObject({ name: "code_review" });
    expect(r.stderr).toBe("");
  });

  it("gives the same JSON twice", async () => {
    const [a, b] = await Promise.all([
      runCli(["inspect", DEMO, "--json"]),
      runCli(["inspect", DEMO, "--json"]),
    ]);
    expect(a.stdout).toBe(b.stdout);
  });

  it("prints a readable summary by default", async () => {
    const r = await runCli(["inspect", DEMO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^demo-basic 0\.1\.0$/m);
    expect(r.stdout).toContain("Tools (8)");
    expect(r.stdout).toMatch(/ {6}name\*: string — Who to greet/);
    expect(r.stdout).toContain("Resource templates (3)");
    expect(r.stdout).toMatch(/ {6}code\* — The code to review/);
  });

  it("speaks Streamable HTTP to a URL, with headers", async () => {
    const r = await runCli(["inspect", url, "--json", "-H", "X-Trace: 1"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).tools.map((t: { name: string }) => t.name)).toEqual(DEMO_TOOLS);
  });

  it("exits 2 when it cannot connect", async () => {
    const r = await runCli(["inspect", "http://127.0.0.1:9/mcp"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot connect to http:\/\/127\.0\.0\.1:9\/mcp/);
    expect(r.stdout).toBe("");
  });

  it("exits 1 on a malformed header", async () => {
    const r = await runCli(["inspect", url, "-H", "no-colon"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--header must look like "Name: value"');
  });
});

describe("mcpforge list", () => {
  it("lists names and descriptions as JSON", async () => {
    const r = await runCli(["list", DEMO, "--json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.tools.map((t: { name: string }) => t.name)).toEqual(DEMO_TOOLS);
    expect(list.tools[0]).toEqual({ name: "greet", description: "Greet someone by name." });
    expect(list.prompts).toEqual([
      { name: "code_review", description: "Ask for a focused review of a piece of code." },
    ]);
  });

  it("lists one line per component over HTTP", async () => {
    const r = await runCli(["list", url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}greet {2}Greet someone by name\. \[read-only\]$/m);
    expect(r.stdout).not.toContain("input:");
  });
});
