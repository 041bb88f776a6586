// A server tested through the in-memory client, with the MCP matchers.
import { createServer } from "@mcpforge/core";
import { createTestClient } from "@mcpforge/testing";
import "@mcpforge/testing/vitest"; // adds toBeToolError() and toHaveTextContent()
import { expect, it } from "vitest";
import * as z from "zod";

const app = createServer({ name: "calc", version: "1.0.0" });
app.tool(
  "add",
  { description: "Add", input: { a: z.number(), b: z.number() } },
  async ({ a, b }, ctx) => {
    await ctx.log.info("adding");
    return { sum: a + b };
  },
);

it("adds", async () => {
  await using client = await createTestClient(app, {
    sampling: () => ({ role: "assistant", model: "m", content: { type: "text", text: "hi" } }),
  });
  expect(await client.callTool("add", { a: 1, b: 2 })).toEqual({ sum: 3 }); // structured content
  expect(await client.callToolRaw("add", { a: "x" })).toBeToolError(/a: .*expected number/);
  expect(client.logs.map((l) => l.data)).toEqual(["adding"]);
});
