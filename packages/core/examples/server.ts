// examples/server.ts — run with: npx tsx examples/server.ts   (speaks MCP over stdio)
import { createServer, ToolError } from "@mcpforge/core";
import * as z from "zod";

const app = createServer({ name: "example", version: "1.0.0", instructions: "Math helpers" });

app.tool(
  "divide",
  {
    description: "Divide a by b",
    input: { a: z.number().describe("Dividend"), b: z.number().describe("Divisor") },
    output: z.object({ quotient: z.number() }),
    annotations: { readOnlyHint: true },
  },
  async ({ a, b }, ctx) => {
    if (b === 0) throw new ToolError("Cannot divide by zero"); // isError result, message shown
    await ctx.log.debug({ a, b }); // notifications/message
    return { quotient: a / b }; // structuredContent + a text copy
  },
);

app.resource("config://app", { mimeType: "application/json" }, () => ({ debug: false }));

app.resource(
  "users://{id}/profile",
  {
    params: { id: z.string().regex(/^\d+$/) },
    complete: { id: (v) => ["1", "2"].filter((x) => x.startsWith(v)) },
  },
  ({ id }) => ({ id }),
);

app.prompt("review", { args: { code: z.string() } }, ({ code }) => `Review:\n${code}`);

await app.run(); // stdio by default; --transport http / MCP_TRANSPORT=http for HTTP
