import type pg from "pg";
import { quoteIdent } from "./migrate.js";

/** Limits of one {@link readOnlyQuery}. */
export interface ReadOnlyQueryOptions {
  /** The schema searched for unqualified table names. */
  schema: string;
  /** `statement_timeout` of the query, in ms. */
  timeoutMs: number;
  /** Rows returned at most; more rows are cut and `truncated` is set. */
  maxRows: number;
  /** Bytes of JSON returned at most (default 1 MiB); rows past it are cut the same way. */
  maxBytes?: number;
  /** Aborting it cancels the running query in PostgreSQL (`pg_cancel_backend`). */
  signal?: AbortSignal;
}

/** What {@link readOnlyQuery} returns. */
export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
  rowCount: number;
  truncated: boolean;
}

/**
 * A query refused or failed, with a message safe to show the caller (no connection details).
 *
 * @example
 * if (err instanceof QueryError) throw new ToolError(err.message);
 */
export class QueryError extends Error {
  override name = "QueryError";
}

const ALLOWED_FIRST_WORDS = new Set(["select", "with", "values", "table"]);

/** The first keyword of `sql`, after comments, whitespace and opening parentheses. */
function firstKeyword(sql: string): string {
  let rest = sql;
  for (;;) {
    const trimmed = rest.replace(/^[\s(]+/, "");
    if (trimmed.startsWith("--")) {
      const end = trimmed.indexOf("\n");
      rest = end === -1 ? "" : trimmed.slice(end + 1);
    } else if (trimmed.startsWith("/*")) {
      const end = trimmed.indexOf("*/");
      rest = end === -1 ? "" : trimmed.slice(end + 2);
    } else {
      return (/^[A-Za-z]+/.exec(trimmed)?.[0] ?? "").toLowerCase();
    }
  }
}

/** Whether `err` is an error the database server sent (it has a SQLSTATE), not a broken connection. */
function isServerError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
}

/** Turns a `pg` error into a {@link QueryError} whose message is about the SQL, never the server. */
function toQueryError(err: unknown, timeoutMs: number): QueryError {
  if (!isServerError(err)) return new QueryError("The database is unavailable; try again later");
  const code = (err as { code: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === "57014") {
    return new QueryError(`Query cancelled: it ran past the ${timeoutMs} ms statement timeout`);
  }
  if (code === "25006") {
    return new QueryError("Refused: queries run in a read-only transaction");
  }
  if (code === "42601" && /multiple commands/.test(message)) {
    return new QueryError("Refused: one SQL statement per call");
  }
  // Syntax, undefined objects, privileges (42), bad data (22), unsupported features (0A),
  // cardinality (21): the message is about the query the caller wrote.
  if (/^(42|22|0A|21|2B|3F)/.test(code)) return new QueryError(`${message} (SQLSTATE ${code})`);
  return new QueryError(`Query failed (SQLSTATE ${code})`);
}

/**
 * Runs one caller-written SQL query as safely as the database allows: only `SELECT`, `WITH`,
 * `VALUES` or `TABLE`; one statement (the extended query protocol refuses more, and the query
 * runs as a subquery); parameters bound, never interpolated; inside `BEGIN READ ONLY` with
 * `SET LOCAL statement_timeout`, always rolled back (so even `set_config()` does not outlive
 * the call); at most `maxRows` rows and `maxBytes` bytes.
 *
 * @example
 * import pg from "pg";
 * const pool = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
 * const result = await readOnlyQuery(pool, "SELECT $1::int + 1 AS n", [41], {
 *   schema: "demo_production",
 *   timeoutMs: 5_000,
 *   maxRows: 500,
 * });
 * console.log(result.rows); // [{ n: 42 }]
 */
export async function readOnlyQuery(
  pool: pg.Pool,
  sql: string,
  params: readonly unknown[],
  options: ReadOnlyQueryOptions,
): Promise<QueryResult> {
  const text = sql.trim().replace(/;\s*$/, "");
  const keyword = firstKeyword(text);
  if (!ALLOWED_FIRST_WORDS.has(keyword)) {
    throw new QueryError(
      `Refused: only SELECT, WITH, VALUES and TABLE queries are allowed${keyword ? ` (got ${keyword.toUpperCase()})` : ""}`,
    );
  }
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const limitParam = params.length + 1;
  // The newline ends a trailing `--` comment; the query becomes a subquery, so a second
  // statement or a non-query statement is a syntax error.
  const wrapped = `SELECT * FROM (\n${text}\n) AS query_database_result LIMIT $${limitParam}`;
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw toQueryError(err, options.timeoutMs);
  }
  let broken: Error | undefined;
  // A timeout or a client's cancellation stops the query in the database too, instead of
  // leaving it to run until the statement timeout.
  const pid = (client as unknown as { processID?: number }).processID;
  const cancel = () => {
    pool.query("SELECT pg_cancel_backend($1)", [pid]).catch(() => undefined);
  };
  options.signal?.addEventListener("abort", cancel, { once: true });
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${Math.floor(options.timeoutMs)}`);
    await client.query(`SET LOCAL search_path = ${quoteIdent(options.schema)}`);
    const result = await client.query<Record<string, unknown>>({
      text: wrapped,
      values: [...params, options.maxRows + 1],
      queryMode: "extended",
    } as pg.QueryConfig<unknown[]>);
    const rows: Record<string, unknown>[] = [];
    let bytes = 0;
    let truncated = result.rows.length > options.maxRows;
    for (const row of result.rows.slice(0, options.maxRows)) {
      bytes += Buffer.byteLength(JSON.stringify(row) ?? "");
      if (bytes > maxBytes) {
        truncated = true;
        break;
      }
      rows.push(row);
    }
    return {
      columns: result.fields.map((f) => f.name),
      rows,
      rowCount: rows.length,
      truncated,
    };
  } catch (err) {
    if (!isServerError(err)) broken = err instanceof Error ? err : new Error(String(err));
    throw toQueryError(err, options.timeoutMs);
  } finally {
    options.signal?.removeEventListener("abort", cancel);
    if (broken === undefined) {
      await client.query("ROLLBACK").catch((err: Error) => {
        broken = err;
      });
    }
    client.release(broken);
  }
}
