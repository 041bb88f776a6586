import { type Context, ToolError } from "@mcpforge/core";
import { definePlugin } from "@mcpforge/plugins";
import type pg from "pg";
import * as z from "zod";
import { quoteIdent } from "../db/migrate.js";
import { acquirePool, poolOptions } from "../db/pools.js";

const note = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  author: z.string(),
  createdAt: z.string(),
});
type Note = z.output<typeof note>;

interface NoteRow {
  id: string;
  title: string;
  body: string;
  tags: string[];
  author: string;
  created_at: Date;
}

const toNote = (r: NoteRow): Note => ({
  id: Number(r.id),
  title: r.title,
  body: r.body,
  tags: r.tags,
  author: r.author,
  createdAt: r.created_at.toISOString(),
});

/** Who is calling: the token's subject, else its client id. */
function authorOf(ctx: Context): string {
  const subject = ctx.auth?.extra?.subject;
  return typeof subject === "string" ? subject : (ctx.auth?.clientId ?? "anonymous");
}

const tag = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[\w-]+$/);

/**
 * Notes stored in PostgreSQL: `list_notes` and `search_notes` (tag `notes`), `create_note`,
 * `import_notes` (a batch with partial failures) and `delete_note` (tag `notes-write`; the
 * server requires the scope `notes:write` for that tag).
 *
 * @example
 * import { createServer } from "@mcpforge/core";
 * import { createPluginManager } from "@mcpforge/plugins";
 * const app = createServer({ name: "notes", version: "1.0.0" });
 * await createPluginManager(app)
 *   .use(notesPlugin, { url: "postgres://postgres@127.0.0.1:5432/test", schema: "demo_production" })
 *   .load();
 */
export const notesPlugin = definePlugin({
  name: "notes",
  version: "1.0.0",
  options: z.object({
    ...poolOptions,
  }),
  setup(api, options) {
    const lease = acquirePool({ url: options.url, max: options.poolSize, logger: api.logger });
    const { pool } = lease;
    const table = `${quoteIdent(options.schema)}.notes`;
    const columns = "id, title, body, tags, author, created_at";
    const query = async <R extends object>(sql: string, values: unknown[]) => {
      try {
        return await pool.query<R & pg.QueryResultRow>(sql, values);
      } catch (err) {
        const code = (err as { code?: string }).code ?? "";
        if (code.startsWith("23")) throw new ToolError("Refused by a database constraint");
        throw new ToolError("The database is unavailable; try again later");
      }
    };

    api.tool(
      "list_notes",
      {
        description: "Lists notes, newest first, optionally only those with a tag.",
        tags: ["notes"],
        input: {
          tag: tag.optional().describe("Only notes carrying this tag"),
          limit: z.number().int().min(1).max(100).default(20).describe("How many notes"),
        },
        output: z.object({ notes: z.array(note) }),
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      async ({ tag: wanted, limit }) => {
        const result = await query<NoteRow>(
          `SELECT ${columns} FROM ${table} WHERE ($1::text IS NULL OR $1 = ANY (tags))
           ORDER BY id DESC LIMIT $2`,
          [wanted ?? null, limit],
        );
        return { notes: result.rows.map(toNote) };
      },
    );

    api.tool(
      "search_notes",
      {
        description: "Full-text search in the notes' titles and bodies (English stemming).",
        tags: ["notes"],
        input: {
          query: z.string().min(1).max(200).describe("Words to look for, e.g. coffee stock"),
          limit: z.number().int().min(1).max(100).default(20).describe("How many notes"),
        },
        output: z.object({ notes: z.array(note) }),
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      async ({ query: words, limit }) => {
        const result = await query<NoteRow>(
          `SELECT ${columns} FROM ${table}
           WHERE to_tsvector('english', title || ' ' || body) @@ plainto_tsquery('english', $1)
           ORDER BY id DESC LIMIT $2`,
          [words, limit],
        );
        return { notes: result.rows.map(toNote) };
      },
    );

    api.tool(
      "create_note",
      {
        description: "Creates a note (needs the scope notes:write).",
        tags: ["notes-write"],
        input: {
          title: z.string().min(1).max(200).describe("The note's title"),
          body: z.string().max(10_000).default("").describe("The note's text"),
          tags: z.array(tag).max(10).default([]).describe("Tags, e.g. ops"),
        },
        output: note,
        annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
      },
      async ({ title, body, tags }, ctx) => {
        const result = await query<NoteRow>(
          `INSERT INTO ${table} (title, body, tags, author) VALUES ($1, $2, $3, $4)
           RETURNING ${columns}`,
          [title, body, tags, authorOf(ctx)],
        );
        return toNote(result.rows[0] as NoteRow);
      },
    );

    api.tool(
      "import_notes",
      {
        description:
          "Creates many notes in one call (needs notes:write). Each note succeeds or fails on " +
          "its own: the answer lists what was created and why the others were refused.",
        tags: ["notes-write"],
        input: {
          notes: z
            .array(
              z.object({
                title: z.string().max(1_000).describe("1 to 200 characters"),
                body: z.string().max(20_000).default("").describe("At most 10,000 characters"),
              }),
            )
            .min(1)
            .max(500)
            .describe("The notes to create"),
        },
        output: z.object({
          status: z.enum(["success", "partial", "failed"]),
          created: z.array(z.object({ index: z.number(), id: z.number() })),
          failed: z.array(z.object({ index: z.number(), error: z.string() })),
        }),
        annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
      },
      async ({ notes }, ctx) => {
        const author = authorOf(ctx);
        const created: Array<{ index: number; id: number }> = [];
        const failed: Array<{ index: number; error: string }> = [];
        let client: pg.PoolClient;
        try {
          client = await pool.connect();
        } catch {
          throw new ToolError("The database is unavailable; try again later");
        }
        let broken: Error | undefined;
        try {
          await client.query("BEGIN");
          for (const [index, item] of notes.entries()) {
            ctx.signal.throwIfAborted();
            await client.query("SAVEPOINT item");
            try {
              const r = await client.query<{ id: string }>(
                `INSERT INTO ${table} (title, body, author) VALUES ($1, $2, $3) RETURNING id`,
                [item.title, item.body, author],
              );
              await client.query("RELEASE SAVEPOINT item");
              created.push({ index, id: Number(r.rows[0]?.id) });
            } catch (err) {
              const code = (err as { code?: string }).code ?? "";
              if (!code.startsWith("23")) throw err;
              await client.query("ROLLBACK TO SAVEPOINT item");
              const constraint = (err as { constraint?: string }).constraint ?? "a constraint";
              failed.push({
                index,
                error: `refused by ${constraint} (title 1–200 characters, body at most 10,000)`,
              });
            }
            if (index % 50 === 49) await ctx.progress(index + 1, notes.length);
          }
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch((e: Error) => {
            broken = e;
          });
          if (err instanceof Error && err.name === "AbortError") throw err;
          throw new ToolError("The import failed as a whole; nothing was created");
        } finally {
          client.release(broken);
        }
        type Status = "success" | "partial" | "failed";
        const status: Status =
          failed.length === 0 ? "success" : created.length === 0 ? "failed" : "partial";
        return { status, created, failed };
      },
    );

    api.tool(
      "delete_note",
      {
        description: "Deletes a note for good (needs notes:write).",
        tags: ["notes-write"],
        input: {
          id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe("The note's id"),
        },
        output: z.object({ deleted: z.boolean(), id: z.number() }),
        annotations: {
          readOnlyHint: false,
          destructiveHint: true,
          idempotentHint: true,
          openWorldHint: false,
        },
      },
      async ({ id }) => {
        const result = await query(`DELETE FROM ${table} WHERE id = $1`, [id]);
        return { deleted: result.rowCount === 1, id };
      },
    );

    return () => lease.release();
  },
});

export default notesPlugin;
