// src/main.ts as a child process: it migrates, serves, and on SIGTERM answers every call in
// flight, closes the pool and Redis, and exits 0. Bad settings stop it with one message.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTs, waitForOutput } from "./child.js";
import {
  connect,
  DATABASE_URL,
  deleteRedisPrefix,
  REDIS_URL,
  randomId,
  startIdp,
  testEnv,
  testSchema,
} from "./helpers.js";

describe("the server process", () => {
  let db: Awaited<ReturnType<typeof testSchema>>;
  let idp: Awaited<ReturnType<typeof startIdp>>;

  beforeAll(async () => {
    db = await testSchema();
    idp = await startIdp();
  });

  afterAll(async () => {
    idp?.server.close();
    await db?.drop();
  });

  it("drains 20 in-flight database calls on SIGTERM, then exits 0", async () => {
    // A fresh schema: main.ts migrates and seeds it on start.
    const schema = `demo_production_t${randomId()}`;
    const env = testEnv(schema, idp, {
      PORT: "0",
      DATABASE_POOL_SIZE: "20",
      QUERY_TIMEOUT_MS: "20000",
    });
    const server = runTs("src/main.ts", [], env);
    try {
      const [, url] = await waitForOutput(
        server.child,
        server.output,
        "stderr",
        /listening on (\S+)/,
      );
      expect(server.output.stderr).toMatch(new RegExp(`migrated schema ${schema}`));
      const client = await connect(new URL(url as string), await idp.token(["db:read"]));
      const marker = `drain_${randomId()}`;
      const calls = Array.from(
        { length: 20 },
        (_, i) =>
          client.callTool({
            name: "query_database",
            arguments: { sql: `SELECT pg_sleep(1.5) AS ${marker}, $1::int AS i`, params: [i] },
          }) as Promise<CallToolResult>,
      );
      // Wait until all 20 queries run in PostgreSQL, then ask the server to stop.
      for (let tries = 0; ; tries++) {
        const r = await db.admin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1",
          [`%AS ${marker},%`],
        );
        if (r.rows[0]?.n === 20) break;
        if (tries > 200) throw new Error(`only ${r.rows[0]?.n} queries running`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      server.child.kill("SIGTERM");
      const results = await Promise.all(calls);
      expect(results.map((r) => r.isError ?? false)).toEqual(Array(20).fill(false));
      expect(
        results.map((r) => (r.structuredContent as { rows: Array<{ i: number }> }).rows[0]?.i),
      ).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(await server.exited).toEqual({ code: 0, signal: null });
      await client.close().catch(() => undefined);
      // The pool is closed: no connection of the server is left in PostgreSQL.
      const left = await db.admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()",
        [`%AS ${marker},%`],
      );
      expect(left.rows[0]?.n).toBe(0);
    } finally {
      server.child.kill("SIGKILL");
      await db.admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await deleteRedisPrefix(env.REDIS_PREFIX as string);
    }
  }, 60_000);

  it("migrates idempotently: a second start on the same schema changes nothing", async () => {
    const env = testEnv(db.schema, idp, { PORT: "0" });
    const server = runTs("src/main.ts", [], env);
    try {
      await waitForOutput(server.child, server.output, "stderr", /listening on/);
      expect(server.output.stderr).not.toMatch(/migrated schema/);
      server.child.kill("SIGTERM");
      expect(await server.exited).toEqual({ code: 0, signal: null });
      const notes = await db.admin.query(`SELECT count(*)::int AS n FROM "${db.schema}".notes`);
      expect(notes.rows[0]).toEqual({ n: 3 });
    } finally {
      server.child.kill("SIGKILL");
      await deleteRedisPrefix(env.REDIS_PREFIX as string);
    }
  }, 30_000);

  it("stops with a short message when PostgreSQL is unreachable at start", async () => {
    const env = testEnv(db.schema, idp, {
      PORT: "0",
      DATABASE_URL: "postgres://postgres:s3cret@127.0.0.1:1/test",
    });
    const server = runTs("src/main.ts", [], env);
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.output.stderr.trim()).toBe(
      "demo-production: cannot prepare the database at 127.0.0.1:1/test (ECONNREFUSED)",
    );
  });

  it("refuses to start with bad or missing settings, listing all of them in one message", async () => {
    const server = runTs("src/main.ts", [], {
      PORT: "eighty",
      DATABASE_URL: "mysql://nope",
      DATABASE_POOL_SIZE: "0",
      REDIS_URL: REDIS_URL.replace("redis:", "http:"),
      LOG_LEVEL: "loud",
      CORS_ORIGINS: "not a url",
      JWT_ISSUER: "http://127.0.0.1:9/",
    });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    const { stderr } = server.output;
    expect(stderr.match(/Invalid settings:/g)).toHaveLength(1);
    for (const variable of [
      "PORT",
      "DATABASE_URL",
      "DATABASE_POOL_SIZE",
      "REDIS_URL",
      "LOG_LEVEL",
      "CORS_ORIGINS",
      "JWT_AUDIENCE",
      "JWT_JWKS_URL",
    ]) {
      expect(stderr).toMatch(new RegExp(`^ {2}${variable}: `, "m"));
    }
    expect(stderr).not.toMatch(/^ {2}JWT_ISSUER: /m);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("refuses to start without any authentication configured", async () => {
    const server = runTs("src/main.ts", [], { DATABASE_URL });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.output.stderr).toMatch(/JWT_ISSUER: required \(or set API_KEYS\)/);
  });
});
