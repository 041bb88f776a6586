/** Cold start: MCP Forge over stdio (`app.run()`), the same two tools. */
import { createServer } from "@mcpforge/core";
import * as z from "zod";

const app = createServer({ name: "bench-forge", version: "1.0.0" });
app.tool("echo", { description: "Echoes text", input: { text: z.string() } }, ({ text }) => text);
app.tool(
  "add",
  { description: "Adds two numbers", input: { a: z.number(), b: z.number() } },
  ({ a, b }) => String(a + b),
);
await app.run();
