// At most 2 PDF renderings at once; the excess is refused. Speaks MCP over stdio.
import { createServer } from "@mcpforge/core";
import { concurrency } from "@mcpforge/middleware/concurrency";
import * as z from "zod";

const app = createServer({ name: "capped", version: "1.0.0" }).use(
  concurrency({ max: 50, perTool: { render_pdf: 2 } }),
);

app.tool(
  "render_pdf",
  { description: "Renders a PDF", input: { html: z.string() } },
  async ({ html }) => {
    await new Promise((r) => setTimeout(r, 1000)); // stands in for heavy work
    return `rendered ${html.length} characters`;
  },
);

await app.run();
