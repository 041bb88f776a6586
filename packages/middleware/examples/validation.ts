// Argument limits for every tool, and the helpers for untrusted input. Speaks MCP over stdio.
import { readFile } from "node:fs/promises";
import { createServer } from "@mcpforge/core";
import {
  escapeHtml,
  resolveInRoot,
  sanitizeFilename,
  stripHtml,
  validateUrl,
  validation,
} from "@mcpforge/middleware/validation";
import * as z from "zod";

const app = createServer({ name: "guarded", version: "1.0.0" }).use(
  validation({
    default: { maxStringLength: 10_000, maxArrayLength: 1_000, maxArgumentBytes: 100_000 },
    tools: { upload: { maxStringLength: 5_000_000, maxArgumentBytes: 6_000_000 } },
  }),
);

app.tool(
  "fetch_page",
  { description: "Fetches a page as text", input: { url: z.string() } },
  async ({ url }) => {
    const target = await validateUrl(url, { allowedHosts: ["*.wikipedia.org"] });
    const res = await fetch(target, { redirect: "error" });
    return stripHtml(await res.text()).slice(0, 5_000);
  },
);

app.tool(
  "read_doc",
  { description: "Reads a document", input: { path: z.string() } },
  async ({ path }) => readFile(await resolveInRoot(process.cwd(), path), "utf8"),
);

app.tool(
  "upload",
  { description: "Names an upload", input: { name: z.string(), body: z.string() } },
  ({ name }) => `<p>stored as ${escapeHtml(sanitizeFilename(name))}</p>`,
);

await app.run();
