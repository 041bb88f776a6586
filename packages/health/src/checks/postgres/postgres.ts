import { performance } from "node:perf_hooks";
import {
  type CommonCheckOptions,
  check,
  checkCommon,
  common,
  optionsOf,
} from "../../internal/options.js";
import type { HealthCheck } from "../types.js";

/** The part of a `pg` `Pool` (or `Client`) the check uses. */
export interface PostgresQueryable {
  query(text: string): Promise<unknown>;
}

/** Options of {@link postgresCheck}. */
export interface PostgresCheckOptions extends CommonCheckOptions {
  /** The app's `pg` pool (never closed by the check). */
  pool: PostgresQueryable;
  /** The query run (default `SELECT 1`). */
  query?: string;
}

const FACTORY = "postgresCheck";

/**
 * PostgreSQL answers `SELECT 1` through the `pg` pool the app passes in (the check opens no
 * connection of its own). The observed value is the round trip in ms. A query that hangs
 * fails at the check's timeout; while it still hangs, the check fails without queueing more.
 *
 * @param options.pool - a `pg` `Pool`
 * @param options.query - the query run (default `SELECT 1`)
 * @example
 * import pg from "pg";
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * app.use(health({ checks: { db: postgresCheck({ pool }) } }));
 */
export function postgresCheck(options: PostgresCheckOptions): HealthCheck {
  const opts = optionsOf(FACTORY, options);
  checkCommon(FACTORY, opts);
  if (opts.pool === undefined) throw check.error(FACTORY, "pool is required (a pg Pool)");
  check.methods(FACTORY, "pool", opts.pool, ["query"]);
  check.string(FACTORY, "query", opts.query, { nonEmpty: true });
  const { pool } = opts;
  const query = opts.query ?? "SELECT 1";
  return {
    ...common(opts),
    componentType: "datastore",
    measurement: "responseTime",
    async check() {
      const started = performance.now();
      await pool.query(query);
      return {
        observedValue: Math.round((performance.now() - started) * 100) / 100,
        observedUnit: "ms",
      };
    },
  };
}
