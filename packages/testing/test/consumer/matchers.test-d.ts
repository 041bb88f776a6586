// Type test of the published view: tsconfig.consumer.json checks this file alone, against the
// built .d.ts of `@mcpforge/testing/vitest` (no source in the program), as a user's project
// would. It fails to compile when the matchers are not declared on vitest's `Matchers`.
import "@mcpforge/testing/vitest";
import { expect, test } from "vitest";

test("the MCP matchers are typed", () => {
  const failed = { isError: true, content: [{ type: "text", text: "boom" }] };
  expect(failed).toBeToolError();
  expect(failed).toBeToolError(/boom/);
  expect(failed).not.toHaveTextContent("fine");
  expect({ result: failed }).toEqual({ result: expect.toHaveTextContent("boom") });
  // @ts-expect-error: a number is not a text pattern
  expect(failed).toHaveTextContent(42);
});
