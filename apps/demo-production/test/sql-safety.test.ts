// query_database against a real PostgreSQL: everything that is not one read-only query is
// refused or bounded, and a separate connection sees the database unchanged.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, startIdp, startServer, testEnv, testSchema, textOf } from "./helpers.js";

/** Every table's rows as text, hashed: any write shows up as a different fingerprint. */
async function fingerprint(admin: pg.Pool, schema: string): Promise<Record<string, string>> {
  const tables = await admin.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
    [schema],
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    const r = await admin.query<{ digest: string; n: string }>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest, count(*) AS n
       FROM "${schema}"."${table_name}" AS t`,
    );
    out[table_name] = `${r.rows[0]?.n}:${r.rows[0]?.digest}`;
  }
  return out;
}

describe("query_database safety", () => {
  let db: Awaited<ReturnType<typeof testSchema>>;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let server: Awaited<ReturnType<typeof startServer>>;
  let client: Client;
  let before: Record<string, string>;

  const query = async (sql: string, params: unknown[] = []) =>
    (await client.callTool({
      name: "query_database",
      arguments: { sql, params },
    })) as CallToolResult;

  beforeAll(async () => {
    db = await testSchema();
    idp = await startIdp();
    // A small pool, so the calls below reuse the same connections.
    server = await startServer(
      testEnv(db.schema, idp, {
        QUERY_TIMEOUT_MS: "300",
        QUERY_MAX_ROWS: "50",
        DATABASE_POOL_SIZE: "2",
        CACHE_TTL: "1",
      }),
    );
    client = await connect(server.url, await idp.token(["db:read"]));
    before = await fingerprint(db.admin, db.schema);
    expect(Object.keys(before)).toEqual(["notes", "orders", "products", "schema_migrations"]);
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
    idp?.server.close();
    await db?.drop();
  });

  it("answers a read-only query with bound parameters", async () => {
    const result = await query(
      "SELECT name, price FROM products WHERE category = $1 AND price < $2 ORDER BY price",
      ["outdoor", 100],
    );
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      columns: ["name", "price"],
      rows: [
        { name: "Water bottle", price: "19.50" },
        { name: "Headlamp", price: "29.95" },
      ],
      rowCount: 2,
      truncated: false,
    });
  });

  it.each([
    ["two statements", "SELECT 1; DROP TABLE notes"],
    ["two queries", "SELECT 1; SELECT 2"],
    [
      "a statement smuggled out of the subquery",
      "SELECT 1) AS x; COMMIT; DROP TABLE notes; SELECT * FROM (SELECT 1",
    ],
    ["a commit and a delete", "SELECT 1; COMMIT; DELETE FROM notes"],
    ["DELETE", "DELETE FROM notes"],
    ["DELETE behind a comment", "/* harmless */ -- really\n delete from notes"],
    ["UPDATE", "UPDATE products SET price = 0"],
    ["DROP", "DROP TABLE orders"],
    ["TRUNCATE", "TRUNCATE notes"],
    ["INSERT", "INSERT INTO notes (title, body, author) VALUES ('x', 'y', 'z')"],
    ["COPY", "COPY products TO STDOUT"],
    ["SET", "SET statement_timeout = 0"],
    ["a data-modifying CTE", "WITH gone AS (DELETE FROM notes RETURNING *) SELECT * FROM gone"],
    ["SELECT INTO", "SELECT * INTO stolen FROM products"],
    ["SELECT FOR UPDATE", "SELECT * FROM products FOR UPDATE"],
    ["a sequence bump", "SELECT nextval(pg_get_serial_sequence('notes', 'id'))"],
    ["CREATE", "CREATE TABLE x (id int)"],
    ["CALL", "CALL anything()"],
  ])("refuses %s and changes nothing", async (_name, sql) => {
    const result = await query(sql);
    expect(result.isError).toBe(true);
    expect(textOf(result)).not.toMatch(/127\.0\.0\.1|5432|postgres:\/\/|password/i);
    expect(await fingerprint(db.admin, db.schema)).toEqual(before);
  });

  it("stops a slow query at the statement timeout", async () => {
    const result = await query("SELECT pg_sleep(30)");
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/300 ms statement timeout/);
    // The connection is usable again at once.
    expect((await query("SELECT 1 AS one")).structuredContent).toMatchObject({
      rows: [{ one: 1 }],
    });
  });

  it("caps huge results by rows", async () => {
    const result = await query("SELECT n FROM generate_series(1, 200000) AS n");
    expect(result.structuredContent).toMatchObject({ rowCount: 50, truncated: true });
    // 8 million rows: the LIMIT stops the scan after the first 51.
    const cross = await query("SELECT a.id FROM orders a, orders b, orders c");
    expect(cross.structuredContent).toMatchObject({ rowCount: 50, truncated: true });
  });

  it("caps huge results by bytes", async () => {
    const result = await query("SELECT repeat('x', 100000) AS big FROM generate_series(1, 40)");
    const out = result.structuredContent as { rowCount: number; truncated: boolean };
    expect(out.truncated).toBe(true);
    expect(out.rowCount).toBeLessThan(11); // 1 MiB of 100 kB rows
  });

  it("binds injection attempts as plain values", async () => {
    const evil = "x'; DROP TABLE notes; --";
    const none = await query("SELECT id FROM notes WHERE title = $1", [evil]);
    expect(none.structuredContent).toMatchObject({ rowCount: 0 });
    const echoed = await query("SELECT $1::text AS v", ["'); DELETE FROM notes; --"]);
    expect(echoed.structuredContent).toMatchObject({ rows: [{ v: "'); DELETE FROM notes; --" }] });
    const tricky = await query("SELECT $1::text AS v, $2::int AS n", ["1; DROP TABLE orders", 7]);
    expect(tricky.structuredContent).toMatchObject({ rows: [{ v: "1; DROP TABLE orders", n: 7 }] });
    expect(await fingerprint(db.admin, db.schema)).toEqual(before);
  });

  it("rolls back session changes made through functions", async () => {
    await query("SELECT set_config('statement_timeout', '1', false) AS s");
    await query("SELECT set_config('search_path', 'pg_catalog', false) AS s");
    // Both pooled connections still run the notes tools' plain queries normally.
    for (let i = 0; i < 4; i++) {
      const r = await query(
        "SELECT count(*)::int AS n, current_setting('statement_timeout') AS t FROM notes",
      );
      expect(r.structuredContent).toMatchObject({ rows: [{ n: 3, t: "300ms" }] });
    }
    const settings = await db.admin.query("SELECT 1");
    expect(settings.rowCount).toBe(1);
  });

  it("reports SQL mistakes without connection details", async () => {
    const result = await query("SELECT * FROM no_such_table");
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/no_such_table/);
    expect(textOf(result)).not.toMatch(/127\.0\.0\.1|5432|postgres:\/\//);
  });

  it("describes a table", async () => {
    const result = await client.callTool({
      name: "get_table_schema",
      arguments: { table: "products" },
    });
    expect(
      (result.structuredContent as { columns: Array<{ name: string }> }).columns.map((c) => c.name),
    ).toEqual(["id", "name", "category", "price", "stock"]);
    const missing = await client.callTool({
      name: "get_table_schema",
      arguments: { table: "nope" },
    });
    expect(missing.isError).toBe(true);
  });
});
