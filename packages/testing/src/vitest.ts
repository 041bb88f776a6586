/// <reference types="node" preserve="true" />
import { expect } from "vitest";
import { mcpMatchers } from "./matchers.js";

expect.extend(mcpMatchers);

interface McpMatchers<R = unknown> {
  /** The value is a CallToolResult with `isError: true` (and text matching, if given). */
  toBeToolError(expected?: string | RegExp): R;
  /** The result's text blocks contain the string / match the pattern. */
  toHaveTextContent(expected: string | RegExp): R;
}

// vitest >= 3.2: one `Matchers` interface types `expect(x).toBeToolError()`, `expect.not…` and
// the asymmetric `expect.toHaveTextContent()` at once. (Augmenting `Assertion`, as older guides
// say, typechecks inside this repository but not in a project that only sees the published
// .d.ts: test/consumer/ checks that view.)
declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: must match vitest's declaration
  interface Matchers<T = any> extends McpMatchers<T> {}
}

export { mcpMatchers };
