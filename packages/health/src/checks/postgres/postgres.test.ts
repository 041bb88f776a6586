import { freePort } from "@mcpforge/testing/redis";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { entryOf, probedApp } from "../../test-utils/app.js";
import { httpGet } from "../../test-utils/http.js";
import { silentServer } from "../../test-utils/silent-server.js";
import { postgresCheck } from "./postgres.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

beforeAll(async () => {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await client.connect();
    await client.end();
  } catch (err) {
    throw new Error(
      `These tests need PostgreSQL at ${DATABASE_URL} (set DATABASE_URL): ${(err as Error).message}`,
    );
  }
});

describe("postgresCheck() against a real PostgreSQL", () => {
  it("passes with SELECT 1 through the app's pool, and leaves the pool to the app", async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    closers.push(() => pool.end());
    const s = await probedApp({ checks: { db: postgresCheck({ pool }) } });
    closers.push(s.close);
    const a = await httpGet(`${s.base}/readyz`);
    expect(a.status).toBe(200);
    expect(entryOf(a.body, "db:responseTime")).toMatchObject({
      status: "pass",
      componentType: "datastore",
      observedUnit: "ms",
    });
    await s.close();
    closers.splice(closers.indexOf(s.close), 1);
    expect((await pool.query("SELECT 2 AS two")).rows[0]).toEqual({ two: 2 });
  });

  it("fails (503) when the database refuses, without the connection string's password", async () => {
    const port = await freePort();
    const pool = new pg.Pool({
      connectionString: `postgres://postgres:hunter2@127.0.0.1:${port}/test`,
      connectionTimeoutMillis: 2000,
    });
    closers.push(() => pool.end());
    const s = await probedApp({ checks: { db: postgresCheck({ pool }) } });
    closers.push(s.close);
    const a = await httpGet(`${s.base}/readyz`);
    expect(a.status).toBe(503);
    expect(entryOf(a.body, "db:responseTime")?.output).toMatch(/ECONNREFUSED/);
    expect(a.body).not.toContain("hunter2");
  });

  it("a server that accepts but never answers: the check times out, the probe answers", async () => {
    const hung = await silentServer();
    const pool = new pg.Pool({
      host: "127.0.0.1",
      port: hung.port,
      user: "postgres",
      database: "test",
    });
    // Closed in reverse: the app, then the silent server (which ends the pool's attempt), then the pool.
    closers.push(() => pool.end().catch(() => undefined));
    closers.push(() => hung.close());
    const s = await probedApp({
      timeoutMs: 200,
      intervalMs: 0,
      checks: { db: postgresCheck({ pool }) },
    });
    closers.push(s.close);
    const first = await httpGet(`${s.base}/readyz`, { timeoutMs: 10_000 });
    expect(first.status).toBe(503);
    expect(entryOf(first.body, "db:responseTime")?.output).toBe("timed out after 200 ms");
    const second = await httpGet(`${s.base}/readyz`, { timeoutMs: 10_000 });
    expect(entryOf(second.body, "db:responseTime")?.output).toMatch(
      /previous attempt has not finished/,
    );
    expect(hung.accepted).toBe(1); // no pile of connections on a hung database
  });

  it("checks its options", () => {
    expect(() => postgresCheck({} as never)).toThrow(
      "@mcpforge/health: postgresCheck(): pool is required (a pg Pool)",
    );
    expect(() => postgresCheck({ pool: {} as never })).toThrow(/query/);
  });
});
