import { ToolError } from "@mcpforge/core";
import { definePlugin } from "@mcpforge/plugins";
import * as z from "zod";
import { acquirePool, poolOptions } from "../db/pools.js";
import { QueryError, readOnlyQuery } from "../db/read-only-query.js";

const jsonParam = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

/**
 * The guide's `DatabasePlugin`, for real: `query_database(sql, params)` (read-only, bounded,
 * parameters bound) and `get_table_schema(table)` over the app's PostgreSQL pool.
 * Loaded from `plugins.json`; its tools carry the tag `database`.
 *
 * @example
 * import { createServer } from "@mcpforge/core";
 * import { createPluginManager } from "@mcpforge/plugins";
 * const app = createServer({ name: "db", version: "1.0.0" });
 * await createPluginManager(app)
 *   .use(databasePlugin, { url: "postgres://postgres@127.0.0.1:5432/test", schema: "demo_production" })
 *   .load();
 */
export const databasePlugin = definePlugin({
  name: "database",
  version: "1.0.0",
  options: z.object({
    ...poolOptions,
    timeoutMs: z.coerce.number().int().min(10).max(60_000).default(5_000),
    maxRows: z.coerce.number().int().min(1).max(10_000).default(500),
  }),
  setup(api, options) {
    const lease = acquirePool({ url: options.url, max: options.poolSize, logger: api.logger });
    const { pool } = lease;
    const limits = {
      schema: options.schema,
      timeoutMs: options.timeoutMs,
      maxRows: options.maxRows,
    };

    api.tool(
      "query_database",
      {
        title: "Query the database",
        description:
          `Runs one read-only SQL query (SELECT, WITH, VALUES or TABLE) on the demo schema ` +
          `(tables: products, orders, notes). Use $1, $2… placeholders with params. At most ` +
          `${options.maxRows} rows; stopped after ${options.timeoutMs} ms.`,
        tags: ["database"],
        input: {
          sql: z
            .string()
            .min(1)
            .max(10_000)
            .describe("One SQL query, e.g. SELECT * FROM products WHERE price < $1"),
          params: z
            .array(jsonParam)
            .max(100)
            .default([])
            .describe("Values bound to $1, $2…; never spliced into the SQL"),
        },
        output: z.object({
          columns: z.array(z.string()),
          rows: z.array(z.record(z.string(), z.unknown())),
          rowCount: z.number(),
          truncated: z.boolean(),
        }),
        annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true },
      },
      async ({ sql, params }, ctx) => {
        try {
          return await readOnlyQuery(pool, sql, params, { ...limits, signal: ctx.signal });
        } catch (err) {
          if (err instanceof QueryError) throw new ToolError(err.message);
          throw err;
        }
      },
    );

    api.tool(
      "get_table_schema",
      {
        title: "Describe a table",
        description: "Columns (name, type, nullable, default) of a table of the demo schema.",
        tags: ["database"],
        input: {
          table: z
            .string()
            .min(1)
            .max(63)
            .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
            .describe("A table name, e.g. products"),
        },
        output: z.object({
          table: z.string(),
          columns: z.array(
            z.object({
              name: z.string(),
              type: z.string(),
              nullable: z.boolean(),
              default: z.string().nullable(),
            }),
          ),
        }),
        annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true },
      },
      async ({ table }) => {
        let columns: Array<{
          name: string;
          type: string;
          nullable: boolean;
          default: string | null;
        }>;
        try {
          const result = await pool.query<{
            name: string;
            type: string;
            nullable: boolean;
            default: string | null;
          }>(
            `SELECT column_name AS name, data_type AS type, is_nullable = 'YES' AS nullable,
                    column_default AS default
             FROM information_schema.columns
             WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
            [options.schema, table],
          );
          columns = result.rows;
        } catch {
          throw new ToolError("The database is unavailable; try again later");
        }
        if (columns.length === 0) throw new ToolError(`No table named "${table}"`);
        return { table, columns };
      },
    );

    return () => lease.release();
  },
});

export default databasePlugin;
