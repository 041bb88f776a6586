import type pg from "pg";

/**
 * Double-quotes an identifier (schema names are checked by the settings, this is belt and braces).
 *
 * @example
 * quoteIdent('odd"name'); // "odd""name"
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const PRODUCTS: Array<[string, string, number, number]> = [
  ["Espresso machine", "kitchen", 349.0, 12],
  ["Coffee grinder", "kitchen", 89.5, 40],
  ["Milk frother", "kitchen", 39.99, 75],
  ["Standing desk", "office", 499.0, 8],
  ["Desk lamp", "office", 45.0, 120],
  ["Ergonomic chair", "office", 279.0, 15],
  ["Trail shoes", "outdoor", 129.0, 30],
  ["Rain jacket", "outdoor", 159.0, 22],
  ["Headlamp", "outdoor", 29.95, 90],
  ["Water bottle", "outdoor", 19.5, 200],
];

/** Versioned steps; each runs once, in order, recorded in `schema_migrations`. */
function migrations(schema: string): Array<{ version: number; name: string; sql: string }> {
  const s = quoteIdent(schema);
  const products = PRODUCTS.map(
    ([name, category, price, stock], i) =>
      `(${i + 1}, '${name}', '${category}', ${price}, ${stock})`,
  ).join(",\n");
  return [
    {
      version: 1,
      name: "catalog",
      sql: `
        CREATE TABLE ${s}.products (
          id integer PRIMARY KEY,
          name text NOT NULL,
          category text NOT NULL,
          price numeric(10, 2) NOT NULL CHECK (price >= 0),
          stock integer NOT NULL CHECK (stock >= 0)
        );
        CREATE TABLE ${s}.orders (
          id integer PRIMARY KEY,
          product_id integer NOT NULL REFERENCES ${s}.products (id),
          quantity integer NOT NULL CHECK (quantity > 0),
          ordered_at timestamptz NOT NULL
        );
        INSERT INTO ${s}.products (id, name, category, price, stock) VALUES
        ${products};
        INSERT INTO ${s}.orders (id, product_id, quantity, ordered_at)
        SELECT n, 1 + (n * 7) % ${PRODUCTS.length}, 1 + n % 4,
               timestamptz '2026-01-01 00:00:00+00' + n * interval '9 hours'
        FROM generate_series(1, 200) AS n;`,
    },
    {
      version: 2,
      name: "notes",
      sql: `
        CREATE TABLE ${s}.notes (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
          body text NOT NULL CHECK (length(body) <= 10000),
          tags text[] NOT NULL DEFAULT '{}',
          author text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX notes_search ON ${s}.notes
          USING gin (to_tsvector('english', title || ' ' || body));
        INSERT INTO ${s}.notes (title, body, tags, author) VALUES
          ('Welcome', 'This note was created by the seed script.', '{demo}', 'seed'),
          ('Restock the grinders', 'Coffee grinder stock is low before the holidays.', '{ops}', 'seed'),
          ('Query tips', 'Try: SELECT category, sum(stock) FROM products GROUP BY category', '{sql,demo}', 'seed');`,
    },
  ];
}

/**
 * Creates the schema, its tables and the seed data in the database `pool` points at. Idempotent
 * and safe to run from several processes at once (an advisory lock serializes them).
 * Returns the versions it applied now.
 *
 * @example
 * import pg from "pg";
 * const pool = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
 * console.log(await migrate(pool, "demo_production")); // [1, 2] the first time, [] after
 * await pool.end();
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<number[]> {
  const client = await pool.connect();
  const s = quoteIdent(schema);
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = await client.query<{ version: number }>(
      `SELECT version FROM ${s}.schema_migrations`,
    );
    const applied = new Set(done.rows.map((r) => r.version));
    const now: number[] = [];
    for (const step of migrations(schema)) {
      if (applied.has(step.version)) continue;
      await client.query(step.sql);
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        step.version,
        step.name,
      ]);
      now.push(step.version);
    }
    await client.query("COMMIT");
    return now;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
