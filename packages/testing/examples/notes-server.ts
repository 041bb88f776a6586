// A server written to pass the quality checker: described, bounded, annotated.
import { createServer } from "@mcpforge/core";
import * as z from "zod";

const app = createServer({ name: "notes", version: "1.0.0" });
const notes = new Map([["welcome", "Hello from the notes server"]]);

app.tool(
  "read_note",
  {
    description: "Reads one note by its title",
    input: { title: z.string().max(100).describe("The note's title") },
    annotations: { readOnlyHint: true },
  },
  ({ title }) => notes.get(title) ?? `no note titled ${title}`,
);

export default app;
