import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestClient, type TestClient, ToolCallError } from "@mcpforge/testing";
import "@mcpforge/testing/vitest";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { processingResultSchema } from "../src/lib/batch.js";
import { createDemoServer } from "../src/server.js";

const TOOL_NAMES = [
  "greet",
  "calculate_compound_interest",
  "format_currency",
  "advanced_search",
  "read_file_safe",
  "process_data_batch",
  "calculate",
  "nth_prime",
];

let client: TestClient;

beforeEach(async () => {
  client = await createTestClient(createDemoServer());
});

afterEach(async () => {
  await client.close();
});

/** Runs `action` and returns the JSON-RPC error it rejects with. */
async function rpcError(action: () => Promise<unknown>): Promise<McpError> {
  try {
    await action();
  } catch (err) {
    expect(err).toBeInstanceOf(McpError);
    return err as McpError;
  }
  throw new Error("expected the request to fail with a JSON-RPC error");
}

/** The JSON document of a single-content resource read. */
async function readJson(uri: string): Promise<unknown> {
  const { contents } = await client.readResource(uri);
  expect(contents).toHaveLength(1);
  const [content] = contents;
  expect(content).toMatchObject({ uri, mimeType: "application/json" });
  return JSON.parse((content as { text: string }).text);
}

describe("listing", () => {
  it("lists exactly the registered tools, each with a description and an input schema", async () => {
    const tools = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    for (const tool of tools) {
      expect(tool.description, tool.name).toEqual(expect.stringMatching(/\S/));
      expect(tool.inputSchema, tool.name).toMatchObject({ type: "object" });
      expect(tool.inputSchema.properties, tool.name).toBeTypeOf("object");
    }
  });

  it("declares required fields and defaults in the input schemas", async () => {
    const tools = new Map((await client.listTools()).map((t) => [t.name, t]));
    expect(tools.get("greet")?.inputSchema).toMatchObject({
      required: ["name"],
      properties: { name: { type: "string" }, greeting: { default: "Hello" } },
    });
    expect(tools.get("calculate")?.inputSchema.required).toEqual(["expression"]);
    expect(tools.get("advanced_search")?.inputSchema.required).toEqual(["query"]);
  });
});

describe("greet", () => {
  it("greets with the default greeting", async () => {
    const result = await client.callToolRaw("greet", { name: "Ada" });
    expect(result.isError).toBeFalsy();
    expect(result).toHaveTextContent(/^Hello, Ada!$/);
    expect(await client.callTool("greet", { name: "Ada" })).toBe("Hello, Ada!");
  });

  it("uses the given greeting", async () => {
    expect(await client.callTool("greet", { name: "Grace", greeting: "Bonjour" })).toBe(
      "Bonjour, Grace!",
    );
  });

  it("rejects an argument of the wrong type, naming the field", async () => {
    const result = await client.callToolRaw("greet", { name: 42 });
    expect(result).toBeToolError(/\bname\b/);
    expect(result).toBeToolError(/string/i);
  });

  it("rejects a missing required argument, naming the field", async () => {
    expect(await client.callToolRaw("greet", {})).toBeToolError(/\bname: is required/);
    expect(await client.callToolRaw("greet", { greeting: "Hi" })).toBeToolError(
      /\bname: is required/,
    );
  });

  it("rejects an empty name", async () => {
    expect(await client.callToolRaw("greet", { name: "" })).toBeToolError(/\bname\b/);
  });

  it("makes callTool throw a ToolCallError on an error result", async () => {
    await expect(client.callTool("greet", { name: 42 })).rejects.toBeInstanceOf(ToolCallError);
  });
});

describe("calculate_compound_interest", () => {
  it("compounds 1000 at 5% monthly for 10 years to 1647.01", async () => {
    expect(
      await client.callTool("calculate_compound_interest", {
        principal: 1000,
        annualRate: 5,
        years: 10,
      }),
    ).toEqual({
      finalAmount: 1647.01,
      totalInterest: 647.01,
      principal: 1000,
      annualRate: 5,
      years: 10,
      compoundsPerYear: 12,
    });
  });

  it("honours compoundsPerYear", async () => {
    const yearly = await client.callTool<{ finalAmount: number }>("calculate_compound_interest", {
      principal: 1000,
      annualRate: 5,
      years: 10,
      compoundsPerYear: 1,
    });
    expect(yearly.finalAmount).toBe(1628.89);
  });

  it.each([
    [{ principal: 0, annualRate: 5, years: 10 }, /principal: must be greater than 0/],
    [{ principal: -5, annualRate: 5, years: 10 }, /principal/],
    [{ principal: 1e13, annualRate: 5, years: 10 }, /principal: must be at most/],
    [{ principal: 1000, annualRate: 101, years: 10 }, /annualRate: must be at most 100/],
    [{ principal: 1000, annualRate: 5, years: 0 }, /years: must be greater than 0/],
    [
      { principal: 1000, annualRate: 5, years: 1, compoundsPerYear: 1.5 },
      /compoundsPerYear: must be a whole number/,
    ],
    [{ annualRate: 5, years: 10 }, /principal: is required/],
  ])("rejects %j, naming the field", async (args, message) => {
    expect(await client.callToolRaw("calculate_compound_interest", args)).toBeToolError(message);
  });
});

describe("format_currency", () => {
  it("formats euros for de-DE with a non-breaking space", async () => {
    const result = await client.callTool<{ formatted: string }>("format_currency", {
      amount: 1234.5,
      currency: "EUR",
      locale: "de-DE",
    });
    expect(result).toEqual({ formatted: "1.234,50\u00a0€", currency: "EUR", locale: "de-DE" });
  });

  it("defaults to en-US and accepts a lower-case code", async () => {
    expect(await client.callTool("format_currency", { amount: 1234.5, currency: "usd" })).toEqual({
      formatted: "$1,234.50",
      currency: "USD",
      locale: "en-US",
    });
  });

  it("keeps the currency's usual decimals", async () => {
    const result = await client.callTool<{ formatted: string }>("format_currency", {
      amount: 1234.5,
      currency: "JPY",
      locale: "ja-JP",
    });
    expect(result.formatted).toMatch(/1,235/);
  });

  it("reports an unknown currency code clearly instead of an internal error", async () => {
    const result = await client.callToolRaw("format_currency", { amount: 1, currency: "XYZ" });
    expect(result).toBeToolError(/Unknown currency code "XYZ"/);
    expect(result).not.toHaveTextContent(/Internal error/);
  });

  it("reports an invalid locale clearly", async () => {
    const result = await client.callToolRaw("format_currency", {
      amount: 1,
      currency: "EUR",
      locale: "not a locale!",
    });
    expect(result).toBeToolError(/Invalid locale/);
  });

  it("rejects a currency code that is not 3 characters, naming the field", async () => {
    expect(
      await client.callToolRaw("format_currency", { amount: 1, currency: "EURO" }),
    ).toBeToolError(/\bcurrency\b/);
  });
});

describe("advanced_search", () => {
  it("returns ranked results and metadata", async () => {
    const response = await client.callTool<{
      results: { id: string; title: string; category: string; score: number; snippet: string }[];
      metadata: { query: string; total_matches: number; returned: number; filters: unknown };
    }>("advanced_search", { query: "webhook", max_results: 3 });
    expect(response.results.length).toBeGreaterThan(0);
    expect(response.results.length).toBeLessThanOrEqual(3);
    expect(response.metadata).toMatchObject({
      query: "webhook",
      returned: response.results.length,
      filters: { max_results: 3, include_archived: false, categories: null },
    });
    expect(response.metadata.total_matches).toBeGreaterThanOrEqual(response.results.length);
    for (const r of response.results) {
      expect(r).toEqual({
        id: expect.any(String),
        title: expect.any(String),
        category: expect.any(String),
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        score: expect.any(Number),
        snippet: expect.any(String),
      });
    }
    const scores = response.results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("applies the category filter", async () => {
    const { results } = await client.callTool<{ results: { category: string }[] }>(
      "advanced_search",
      { query: "workflow", categories: ["blog"], max_results: 100 },
    );
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.category === "blog")).toBe(true);
  });

  it.each([
    [{ query: "x".repeat(201) }, /query: must be at most 200 characters/],
    [{ query: "a", max_results: 0 }, /max_results: must be at least 1/],
    [{ query: "a", max_results: 101 }, /max_results: must be at most 100/],
    [{ query: "a", categories: ["news"] }, /categories/],
    [{ query: "a", date_from: "2024-02-30" }, /date_from/],
    [{}, /query: is required/],
  ])("rejects %j, naming the field", async (args, message) => {
    expect(await client.callToolRaw("advanced_search", args)).toBeToolError(message);
  });

  it("accepts the bounds themselves", async () => {
    const result = await client.callToolRaw("advanced_search", {
      query: "x".repeat(200),
      max_results: 100,
    });
    expect(result.isError).toBeFalsy();
    expect(
      (await client.callToolRaw("advanced_search", { query: "a", max_results: 1 })).isError,
    ).toBeFalsy();
  });

  it("rejects date_from after date_to", async () => {
    const result = await client.callToolRaw("advanced_search", {
      query: "release",
      date_from: "2024-05-02",
      date_to: "2024-05-01",
    });
    expect(result).toBeToolError(/date_from \(2024-05-02\) must be on or before date_to/);
  });
});

describe("read_file_safe", () => {
  it("reads files in the bundled sandbox", async () => {
    const welcome = await client.callTool<{ path: string; size: number; content: string }>(
      "read_file_safe",
      { path: "welcome.txt" },
    );
    expect(welcome.path).toBe("welcome.txt");
    expect(welcome.content).toMatch(/^Welcome to the MCP Forge demo sandbox\./);
    expect(welcome.size).toBe(Buffer.byteLength(welcome.content));
    const notes = await client.callTool<{ content: string }>("read_file_safe", {
      path: "docs/notes.md",
    });
    expect(notes.content).toMatch(/^# Notes/);
  });

  it.each([
    "../package.json",
    "%2e%2e/package.json",
    "docs/../../package.json",
    "/etc/passwd",
  ])("refuses %s", async (path) => {
    const result = await client.callToolRaw("read_file_safe", { path });
    expect(result).toBeToolError(/^Refused: Unsafe path/);
  });

  it("reports a missing file as not found", async () => {
    expect(await client.callToolRaw("read_file_safe", { path: "nope.txt" })).toBeToolError(
      /Not found: nope\.txt/,
    );
  });

  it("reports a directory as not found", async () => {
    expect(await client.callToolRaw("read_file_safe", { path: "docs" })).toBeToolError(
      /Not found: docs/,
    );
  });

  describe("in a temporary sandbox", () => {
    let root: string;
    let sandbox: string;
    let tmp: TestClient;

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), "demo-basic-"));
      sandbox = join(root, "sandbox");
      await mkdir(join(sandbox, "sub"), { recursive: true });
      await writeFile(join(root, "secret.txt"), "top secret");
      await writeFile(join(sandbox, "ok.txt"), "fine");
      await writeFile(join(sandbox, "big.bin"), Buffer.alloc(1024 * 1024 + 1, 97));
      await writeFile(join(sandbox, "limit.txt"), Buffer.alloc(1024 * 1024, 98));
      await symlink(join(root, "secret.txt"), join(sandbox, "escape.txt"));
      await symlink(root, join(sandbox, "sub", "up"));
      await symlink(join(sandbox, "ok.txt"), join(sandbox, "inside.txt"));
      tmp = await createTestClient(createDemoServer({ sandbox }));
    });

    afterAll(async () => {
      await tmp?.close();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it("reads from the given sandbox", async () => {
      expect(await tmp.callTool("read_file_safe", { path: "ok.txt" })).toEqual({
        path: "ok.txt",
        size: 4,
        content: "fine",
      });
      expect(await tmp.callToolRaw("read_file_safe", { path: "welcome.txt" })).toBeToolError(
        /Not found/,
      );
    });

    it("follows a symlink that stays inside the sandbox", async () => {
      expect(await tmp.callTool("read_file_safe", { path: "inside.txt" })).toMatchObject({
        content: "fine",
      });
    });

    it.each([
      "escape.txt",
      "sub/up/secret.txt",
    ])("refuses a symlink leading outside (%s)", async (path) => {
      const result = await tmp.callToolRaw("read_file_safe", { path });
      expect(result).toBeToolError(/^Refused: .*symbolic link/);
      expect(result).not.toHaveTextContent(/top secret/);
    });

    it("refuses a file over 1 MB and accepts one of exactly 1 MB", async () => {
      expect(await tmp.callToolRaw("read_file_safe", { path: "big.bin" })).toBeToolError(
        /too large: 1048577 bytes/,
      );
      const limit = await tmp.callTool<{ size: number }>("read_file_safe", { path: "limit.txt" });
      expect(limit.size).toBe(1024 * 1024);
    });
  });
});

describe("process_data_batch", () => {
  it("lists an output schema", async () => {
    const tool = (await client.listTools()).find((t) => t.name === "process_data_batch");
    expect(tool?.outputSchema).toMatchObject({
      type: "object",
      properties: {
        status: { enum: ["success", "partial", "failed"] },
        results: { type: "array" },
      },
    });
    expect(tool?.outputSchema?.required).toEqual(
      expect.arrayContaining(["status", "processed", "failed", "total", "results", "timing"]),
    );
  });

  it("succeeds when every item is valid", async () => {
    const result = await client.callToolRaw("process_data_batch", {
      items: [
        { id: "a", value: 1 },
        { id: "b", value: 2 },
        { id: "c", value: 3.5 },
      ],
      operation: "sum",
    });
    expect(result.isError).toBeFalsy();
    const structured = processingResultSchema.parse(result.structuredContent);
    expect(structured).toMatchObject({
      status: "success",
      processed: 3,
      failed: 0,
      total: 3,
      errors: [],
      results: [
        { id: "a", value: 1 },
        { id: "b", value: 3 },
        { id: "c", value: 6.5 },
      ],
    });
    // The text block carries the same document for clients without structured content.
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(structured);
  });

  it("is partial when some items fail", async () => {
    const result = await client.callToolRaw("process_data_batch", {
      items: [
        { id: "a", value: 2 },
        { id: "neg", value: -1 },
        { id: "b", value: -4 },
        { id: "c", value: 4 },
      ],
      operation: "normalize",
      fail_on_negative: true,
    });
    const structured = processingResultSchema.parse(result.structuredContent);
    expect(structured).toMatchObject({
      status: "partial",
      processed: 2,
      failed: 2,
      total: 4,
      results: [
        { id: "a", value: 0.5 },
        { id: "c", value: 1 },
      ],
      errors: [
        { id: "neg", message: "Value -1 is negative and fail_on_negative is set" },
        { id: "b", message: "Value -4 is negative and fail_on_negative is set" },
      ],
    });
  });

  it("fails when every item fails", async () => {
    const result = await client.callToolRaw("process_data_batch", {
      items: [
        { id: "a", value: -1 },
        { id: "a", value: -2 },
      ],
      operation: "validate",
      fail_on_negative: true,
    });
    expect(result.isError).toBeFalsy();
    const structured = processingResultSchema.parse(result.structuredContent);
    expect(structured).toMatchObject({ status: "failed", processed: 0, failed: 2, results: [] });
    expect(structured.warnings).toEqual(['Duplicate id "a" appears 2 times']);
  });

  it("rejects bad input, naming the field", async () => {
    expect(
      await client.callToolRaw("process_data_batch", { items: [], operation: "sum" }),
    ).toBeToolError(/items: must contain at least 1 item/);
    expect(
      await client.callToolRaw("process_data_batch", {
        items: [{ id: "a", value: 1 }],
        operation: "multiply",
      }),
    ).toBeToolError(/\boperation\b/);
    expect(
      await client.callToolRaw("process_data_batch", {
        items: [{ id: "a", value: "1" }],
        operation: "sum",
      }),
    ).toBeToolError(/items\.0\.value/);
  });

  it("reports an overflowing sum as a tool error", async () => {
    const result = await client.callToolRaw("process_data_batch", {
      items: [
        { id: "a", value: Number.MAX_VALUE },
        { id: "b", value: Number.MAX_VALUE },
      ],
      operation: "sum",
    });
    expect(result).toBeToolError(/overflows at item "b"/);
  });
});

type Expr =
  | { kind: "num"; value: number }
  | { kind: "neg"; operand: Expr }
  | { kind: "bin"; op: "+" | "-" | "*" | "/" | "^"; left: Expr; right: Expr };

/** Binding strength of each node as printed, following the calculator's grammar. */
function precedence(e: Expr): number {
  if (e.kind === "num") return 4;
  if (e.kind === "neg") return 2.5;
  return e.op === "^" ? 3 : e.op === "*" || e.op === "/" ? 2 : 1;
}

/** Prints an expression with only the parentheses the grammar needs. */
function print(e: Expr, glyphs: { mul: string; div: string }): string {
  const wrap = (child: Expr, min: number) =>
    precedence(child) >= min ? print(child, glyphs) : `(${print(child, glyphs)})`;
  switch (e.kind) {
    case "num":
      return String(e.value);
    case "neg":
      return `-${wrap(e.operand, 2.5)}`;
    case "bin": {
      const op = e.op === "*" ? glyphs.mul : e.op === "/" ? glyphs.div : e.op;
      if (e.op === "^") return `${wrap(e.left, 4)} ^ ${wrap(e.right, 2.5)}`;
      const level = precedence(e);
      return `${wrap(e.left, level)} ${op} ${wrap(e.right, level + 1)}`;
    }
  }
}

/** The reference value of a tree, or undefined on division by zero or a non-finite step. */
function reference(e: Expr): number | undefined {
  if (e.kind === "num") return e.value;
  if (e.kind === "neg") {
    const v = reference(e.operand);
    return v === undefined ? undefined : -v;
  }
  const a = reference(e.left);
  const b = reference(e.right);
  if (a === undefined || b === undefined) return undefined;
  if (e.op === "/" && b === 0) return undefined;
  const v =
    e.op === "+"
      ? a + b
      : e.op === "-"
        ? a - b
        : e.op === "*"
          ? a * b
          : e.op === "/"
            ? a / b
            : a ** b;
  return Number.isFinite(v) ? v : undefined;
}

describe("calculate", () => {
  it("respects precedence and parentheses", async () => {
    expect(await client.callTool("calculate", { expression: "2 * (3 + 4) ^ 2" })).toEqual({
      expression: "2 * (3 + 4) ^ 2",
      result: 98,
    });
    expect(await client.callTool("calculate", { expression: "-2^2 + 10 ÷ 4 × 2" })).toEqual({
      expression: "-2^2 + 10 ÷ 4 × 2",
      result: 1,
    });
  });

  it("reports division by zero", async () => {
    expect(await client.callToolRaw("calculate", { expression: "1/0" })).toBeToolError(/zero/);
  });

  it.each([
    ["2 +", /ends unexpectedly/],
    ["(1 + 2", /Unbalanced parentheses/],
    ["2 $ 3", /Unknown character "\$"/],
    ["1.2.3", /Malformed number/],
  ])("reports a syntax error in %j", async (expression, message) => {
    const result = await client.callToolRaw("calculate", { expression });
    expect(result).toBeToolError(message);
    expect(result).not.toHaveTextContent(/Internal error/);
  });

  it("rejects an empty or missing expression, naming the field", async () => {
    expect(await client.callToolRaw("calculate", { expression: "" })).toBeToolError(/expression/);
    expect(await client.callToolRaw("calculate", {})).toBeToolError(/expression: is required/);
  });

  it("agrees with a reference evaluation of random expression trees", async () => {
    const { expr } = fc.letrec<{ expr: Expr; num: Expr; neg: Expr; bin: Expr }>((tie) => ({
      expr: fc.oneof(
        { maxDepth: 5, depthIdentifier: "expr" },
        { arbitrary: tie("num"), weight: 2 },
        { arbitrary: tie("neg"), weight: 1 },
        { arbitrary: tie("bin"), weight: 5 },
      ),
      num: fc.record({ kind: fc.constant("num" as const), value: fc.integer({ min: 0, max: 9 }) }),
      neg: fc.record({ kind: fc.constant("neg" as const), operand: tie("expr") }),
      bin: fc.record({
        kind: fc.constant("bin" as const),
        op: fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const, "^" as const),
        left: tie("expr"),
        right: tie("expr"),
      }),
    }));
    const glyphs = fc.record({ mul: fc.constantFrom("*", "×"), div: fc.constantFrom("/", "÷") });
    const computable = expr.filter((e) => reference(e) !== undefined);
    await fc.assert(
      fc.asyncProperty(computable, glyphs, async (tree, g) => {
        const expression = print(tree, g);
        const expected = reference(tree) as number;
        const { result } = await client.callTool<{ result: number }>("calculate", { expression });
        expect(result, expression).toBe(expected === 0 ? 0 : expected);
      }),
      { numRuns: 100 },
    );
  });
});

describe("the reference guide's checklist", () => {
  it("handles a basic call", async () => {
    expect(await client.callTool("greet", { name: "World" })).toBe("Hello, World!");
  });

  it("handles an async tool", async () => {
    const result = await client.callTool<{ content: string }>("read_file_safe", {
      path: "welcome.txt",
    });
    expect(result.content).toContain("read_file_safe");
  });

  it("names the field on invalid argument types and missing arguments", async () => {
    expect(await client.callToolRaw("greet", { name: 42 })).toBeToolError(/^.*\bname\b/);
    expect(
      await client.callToolRaw("calculate_compound_interest", {
        principal: "1000",
        annualRate: 5,
        years: 10,
      }),
    ).toBeToolError(/principal/);
    expect(
      await client.callToolRaw("calculate_compound_interest", { principal: 1000, annualRate: 5 }),
    ).toBeToolError(/years: is required/);
  });

  it("answers 100 concurrent calls correctly", async () => {
    const calls = Array.from({ length: 100 }, (_, i) =>
      client.callTool<{ expression: string; result: number }>("calculate", {
        expression: `${i} * ${i} + 1`,
      }),
    );
    const results = await Promise.all(calls);
    results.forEach((r, i) => {
      expect(r).toEqual({ expression: `${i} * ${i} + 1`, result: i * i + 1 });
    });
  });

  it("keeps concurrent calls of different tools apart", async () => {
    const names = Array.from({ length: 50 }, (_, i) => `user${i}`);
    const [greetings, sums] = await Promise.all([
      Promise.all(names.map((name) => client.callTool("greet", { name }))),
      Promise.all(names.map((_, i) => client.callTool("calculate", { expression: `${i} + ${i}` }))),
    ]);
    expect(greetings).toEqual(names.map((n) => `Hello, ${n}!`));
    expect(sums.map((s) => (s as { result: number }).result)).toEqual(names.map((_, i) => 2 * i));
  });

  it("answers an unknown tool with a JSON-RPC error", async () => {
    const err = await rpcError(() => client.callToolRaw("no_such_tool", {}));
    expect(err.code).toBe(-32602);
    expect(err.message).toMatch(/Unknown tool: no_such_tool/);
  });
});

describe("resources", () => {
  it("lists the resource templates", async () => {
    const templates = await client.listResourceTemplates();
    expect(templates.map((t) => t.uriTemplate).sort()).toEqual([
      "data://primes/{n}",
      "data://reports/{report_type}/{date_range}",
      "data://user_profiles/{user_id}",
    ]);
    for (const t of templates) {
      expect(t.description).toEqual(expect.stringMatching(/\S/));
      expect(t.mimeType).toBe("application/json");
    }
  });

  it("reads a user profile", async () => {
    expect(await readJson("data://user_profiles/ada_l")).toEqual({
      user_id: "ada_l",
      name: "Ada Lovelace",
      role: "admin",
      joined: "2024-01-10",
    });
  });

  it.each([
    "nobody",
    "constructor",
    "__proto__",
    "to_string",
  ])("answers an unknown user (%s) with a not-found error", async (id) => {
    const err = await rpcError(() => client.readResource(`data://user_profiles/${id}`));
    expect(err.code).toBe(-32002);
    expect(err.message).toContain(`No user ${id}`);
  });

  it("answers an invalid user id with -32602", async () => {
    const err = await rpcError(() => client.readResource("data://user_profiles/A!"));
    expect(err.code).toBe(-32602);
    expect(err.message).toMatch(/user_id/);
  });

  it("reads a sales report", async () => {
    expect(await readJson("data://reports/sales/2025-01-01..2025-01-31")).toEqual({
      report_type: "sales",
      from: "2025-01-01",
      to: "2025-01-31",
      days: 31,
      total: 31 * 5 * 17,
    });
    expect(await readJson("data://reports/traffic/2024-02-28..2024-03-01")).toMatchObject({
      days: 3,
    });
  });

  it.each([
    ["an invalid report type", "data://reports/weekly/2025-01-01..2025-01-31", /report_type/],
    ["a reversed range", "data://reports/sales/2025-01-31..2025-01-01", /date_range/],
    ["a malformed range", "data://reports/sales/2025-01-01", /date_range/],
    ["an impossible date", "data://reports/sales/2025-02-30..2025-03-01", /date_range/],
  ])("answers %s with -32602", async (_what, uri, message) => {
    const err = await rpcError(() => client.readResource(uri));
    expect(err.code).toBe(-32602);
    expect(err.message).toMatch(message);
  });

  it("answers a URI matching no resource with -32002", async () => {
    const err = await rpcError(() => client.readResource("data://nothing/here"));
    expect(err.code).toBe(-32002);
  });

  it("completes user_id and report_type", async () => {
    const users = await client.complete(
      { type: "ref/resource", uri: "data://user_profiles/{user_id}" },
      { name: "user_id", value: "a" },
    );
    expect(users.values).toEqual(["ada_l", "alan_t"]);
    expect(users.total).toBe(2);
    const all = await client.complete(
      { type: "ref/resource", uri: "data://user_profiles/{user_id}" },
      { name: "user_id", value: "" },
    );
    expect(all.values).toEqual(["ada_l", "alan_t", "grace_h"]);
    const reports = await client.complete(
      { type: "ref/resource", uri: "data://reports/{report_type}/{date_range}" },
      { name: "report_type", value: "s" },
    );
    expect(reports.values).toEqual(["sales"]);
  });
});

describe("prompt code_review", () => {
  it("declares its arguments", async () => {
    const prompts = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(["code_review"]);
    const [prompt] = prompts;
    expect(prompt?.description).toEqual(expect.stringMatching(/\S/));
    const args = new Map(prompt?.arguments?.map((a) => [a.name, a]));
    expect([...args.keys()].sort()).toEqual(["code", "focus", "language"]);
    expect(args.get("code")?.required).toBe(true);
    expect(args.get("language")?.required).toBeFalsy();
    expect(args.get("focus")?.required).toBeFalsy();
  });

  it("includes the code and the focus", async () => {
    const code = "function add(a, b) { return a + b; }";
    const result = await client.getPrompt("code_review", {
      code,
      language: "javascript",
      focus: "security",
    });
    expect(result.messages).toHaveLength(1);
    const [message] = result.messages;
    expect(message?.role).toBe("user");
    expect(message?.content).toEqual({
      type: "text",
      text: `Please review this javascript with a focus on security:\n\n${code}`,
    });
  });

  it("works with the code alone", async () => {
    const result = await client.getPrompt("code_review", { code: "x = 1" });
    expect(result.messages[0]?.content).toEqual({
      type: "text",
      text: "Please review this code:\n\nx = 1",
    });
  });

  it("answers a missing code argument with -32602", async () => {
    const err = await rpcError(() => client.getPrompt("code_review", { language: "go" }));
    expect(err.code).toBe(-32602);
    expect(err.message).toMatch(/code/);
  });

  it("completes language and focus", async () => {
    const ref = { type: "ref/prompt" as const, name: "code_review" };
    expect((await client.complete(ref, { name: "language", value: "t" })).values).toEqual([
      "typescript",
    ]);
    expect((await client.complete(ref, { name: "language", value: "" })).values).toEqual([
      "go",
      "javascript",
      "python",
      "rust",
      "typescript",
    ]);
    expect((await client.complete(ref, { name: "focus", value: "s" })).values).toEqual([
      "security",
      "style",
    ]);
    expect((await client.complete(ref, { name: "code", value: "x" })).values).toEqual([]);
  });
});
