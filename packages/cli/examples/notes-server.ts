import { createServer } from "@mcpforge/core";
import * as z from "zod";

const notes: string[] = [];

const app = createServer({ name: "notes", version: "1.0.0" });

app.tool(
  "add_note",
  {
    description: "Save a note.",
    input: { text: z.string().min(1).max(500).describe("The note") },
    output: z.object({ id: z.number(), count: z.number() }),
    annotations: { readOnlyHint: false, destructiveHint: false },
  },
  ({ text }) => ({ id: notes.push(text), count: notes.length }),
);

app.tool(
  "search_notes",
  {
    description: "Find notes containing a word.",
    input: {
      word: z.string().min(1).max(50).describe("Word to look for"),
      limit: z.number().int().min(1).max(20).default(5).describe("At most this many"),
    },
    annotations: { readOnlyHint: true },
  },
  ({ word, limit }) =>
    notes
      .filter((n) => n.includes(word))
      .slice(0, limit)
      .join("\n") || "no notes",
);

export default app;
