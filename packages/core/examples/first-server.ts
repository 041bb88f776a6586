// examples/first-server.ts — run with: npx tsx server.ts   (stdio; add --transport http for HTTP)
import { createServer, McpForgeError, ToolError } from "@mcpforge/core";
import * as z from "zod";

const app = createServer({ name: "notes", version: "1.0.0", instructions: "A tiny note book" });
const notes = new Map<string, string>();

app.tool(
  "add_note",
  {
    description: "Store a note under a title",
    input: {
      title: z.string().min(1).max(80).describe("A short title"),
      body: z.string().max(10_000).describe("The note's text"),
      pinned: z.boolean().default(false).describe("Show it first"),
    },
    annotations: { destructiveHint: false },
  },
  async ({ title, body, pinned }, ctx) => {
    if (notes.has(title)) throw new ToolError(`A note called "${title}" already exists`);
    notes.set(title, body);
    await ctx.log.info(`stored "${title}"${pinned ? " (pinned)" : ""}`);
    return { title, pinned, count: notes.size };
  },
);

app.resource(
  "notes://{title}",
  { description: "One note", mimeType: "text/plain" },
  ({ title }) => {
    const body = notes.get(String(title));
    if (body === undefined) throw new McpForgeError("resource_not_found", `No note "${title}"`);
    return body;
  },
);

await app.run();
