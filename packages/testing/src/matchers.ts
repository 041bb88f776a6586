import { textOf } from "./test-client.js";

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function matches(text: string, expected: string | RegExp | undefined): boolean {
  if (expected === undefined) return true;
  return typeof expected === "string" ? text.includes(expected) : expected.test(text);
}

function isResult(v: unknown): v is { content: unknown[]; isError?: boolean } {
  return typeof v === "object" && v !== null && Array.isArray((v as { content?: unknown }).content);
}

/**
 * Vitest/Jest matchers for MCP results: `toBeToolError(text?)` and `toHaveTextContent(text)`.
 *
 * @example
 * import type {} from "@mcpforge/testing/vitest"; // the matchers' types (importing it for real also registers them)
 * expect.extend(mcpMatchers);
 * await using client = await createTestClient(app);
 * expect(await client.callToolRaw("divide", { a: 1, b: 0 })).toBeToolError(/zero/);
 */
export const mcpMatchers = {
  toBeToolError(received: unknown, expected?: string | RegExp): MatcherResult {
    if (!isResult(received)) {
      return { pass: false, message: () => "expected a CallToolResult (an object with content[])" };
    }
    const text = textOf(received);
    const pass = received.isError === true && matches(text, expected);
    return {
      pass,
      message: () =>
        pass
          ? `expected the result not to be a tool error${expected ? ` matching ${String(expected)}` : ""}, got: ${text}`
          : `expected an isError result${expected ? ` matching ${String(expected)}` : ""}, got isError=${String(received.isError)} text=${JSON.stringify(text)}`,
    };
  },
  toHaveTextContent(received: unknown, expected: string | RegExp): MatcherResult {
    if (!isResult(received)) {
      return { pass: false, message: () => "expected a result with content[]" };
    }
    const text = textOf(received);
    const pass = matches(text, expected);
    return {
      pass,
      message: () =>
        `expected text content ${pass ? "not " : ""}to match ${String(expected)}, got ${JSON.stringify(text)}`,
    };
  },
};
