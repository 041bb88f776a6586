import { expect } from "vitest";
import { mcpMatchers } from "./matchers.js";

expect.extend(mcpMatchers);

interface McpMatchers<R = unknown> {
  /** The value is a CallToolResult with `isError: true` (and text matching, if given). */
  toBeToolError(expected?: string | RegExp): R;
  /** The result's text blocks contain the string / match the pattern. */
  toHaveTextContent(expected: string | RegExp): R;
}

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: must match vitest's declaration
  interface Assertion<T = any> extends McpMatchers<T> {}
  interface AsymmetricMatchersContaining extends McpMatchers {}
}

export { mcpMatchers };
