import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type RunningCli, runCli, startHttp } from "./helpers/cli.js";

let http: RunningCli;
let url: string;

beforeAll(async () => {
  ({ server: http, url } = await startHttp(DEMO));
});

afterAll(() => http.stop());

describe("mcpforge call", () => {
  it("prints a text result", async () => {
    const r = await runCli(["call", DEMO, "greet", "name=Ada", "greeting=Hi"]);
    expect(r).toMatchObject({ code: 0, stdout: "Hi, Ada!\n" });
  });

  it("parses values against the input schema and prints structured content as JSON", async () => {
    const r = await runCli(["call", DEMO, "format_currency", "amount=1234.5", "currency=usd"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      formatted: "$1,234.50",
      currency: "USD",
      locale: "en-US",
    });
  });

  it("parses booleans, arrays and keeps digit strings as strings where the schema wants a string", async () => {
    const r = await runCli([
      "call",
      url,
      "advanced_search",
      "query=2025",
      "include_archived=true",
      'categories=["guides","blog"]',
      "max_results=3",
    ]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.metadata.query).toBe("2025");
    expect(result.metadata.filters).toMatchObject({
      include_archived: true,
      categories: ["guides", "blog"],
      max_results: 3,
    });
  });

  it("takes --input-json, with key=value pairs on top", async () => {
    const items = [
      { id: "a", value: 2 },
      { id: "b", value: 3 },
    ];
    const r = await runCli([
      "call",
      DEMO,
      "process_data_batch",
      "--input-json",
      JSON.stringify({ items, operation: "normalize" }),
      "operation=sum",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "success" });
    expect(r.stdout).toContain('"value": 5');
  });

  it("prints the raw result with --json", async () => {
    const r = await runCli(["call", url, "nth_prime", "n=10", "--json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.structuredContent).toMatchObject({ n: 10, prime: 29 });
    expect(result.content[0].type).toBe("text");
  });

  it("exits 3 when the tool returns isError", async () => {
    const r = await runCli(["call", DEMO, "calculate", "expression=1/0"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/tool "calculate" returned an error: .*zero/i);
    expect(r.stdout).toBe("");
  });

  it("exits 3 when the server rejects the arguments", async () => {
    const r = await runCli(["call", DEMO, "nth_prime", "n=0"]);
    expect(r.code).toBe(3);
  });

  it("exits 1 on a value of the wrong type, an unknown tool, bad --input-json", async () => {
    const wrong = await runCli(["call", DEMO, "nth_prime", "n=ten"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('n must be number (e.g. n=42), got "ten"');
    const unknown = await runCli(["call", DEMO, "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No tool "nope"\. Tools: greet, /);
    const json = await runCli(["call", DEMO, "greet", "--input-json", "[1]"]);
    expect(json.code).toBe(1);
    expect(json.stderr).toContain("--input-json must be a JSON object");
    const pair = await runCli(["call", DEMO, "greet", "Ada"]);
    expect(pair.code).toBe(1);
    expect(pair.stderr).toContain('Expected key=value, got "Ada"');
  });
});
