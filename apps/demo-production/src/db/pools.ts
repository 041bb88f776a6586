import pg from "pg";
import * as z from "zod";

/** What the pools report their errors to (core's logger and the plugins' loggers fit). */
export interface PoolLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** A pool from {@link acquirePool}, to give back with `release()`. */
export interface PoolLease {
  readonly pool: pg.Pool;
  /** Gives the lease back; the last one closes the pool. Calling it twice is fine. */
  release(): Promise<void>;
}

const pools = new Map<string, { pool: pg.Pool; leases: number }>();

/**
 * Leases the process's `pg` pool for `url`, opening it on first use. The plugins (loaded from
 * `plugins.json`, so they receive only data) and the health checks lease the pool by its URL
 * and share it; the last `release()` closes it.
 *
 * @example
 * const lease = acquirePool({ url: "postgres://postgres@127.0.0.1:5432/test", max: 10 });
 * await lease.pool.query("SELECT 1");
 * await lease.release();
 */
export function acquirePool(options: {
  url: string;
  max?: number;
  logger?: PoolLogger;
}): PoolLease {
  let entry = pools.get(options.url);
  if (entry === undefined) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      connectionTimeoutMillis: 2_000,
      idleTimeoutMillis: 30_000,
      application_name: "demo-production",
    });
    // A server restart or a network cut kills idle clients: without this listener the
    // process would crash on the 'error' event. The pool opens new ones on the next query.
    pool.on("error", (err) => {
      options.logger?.warn("postgres: idle connection lost", {
        code: (err as { code?: string }).code,
      });
    });
    entry = { pool, leases: 0 };
    pools.set(options.url, entry);
  }
  const current = entry;
  current.leases++;
  let released = false;
  return {
    pool: current.pool,
    async release() {
      if (released) return;
      released = true;
      current.leases--;
      if (current.leases === 0 && pools.get(options.url) === current) {
        pools.delete(options.url);
        await current.pool.end();
      }
    },
  };
}

/**
 * The options every PostgreSQL plugin of this app takes: the connection URL, the pool size and
 * the schema its tables live in (a plain identifier).
 *
 * @example
 * const options = z.object({ ...poolOptions, maxRows: z.number().default(500) });
 */
export const poolOptions = {
  url: z.string().regex(/^postgres(ql)?:\/\//),
  poolSize: z.coerce.number().int().min(1).max(100).default(10),
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default("demo_production"),
};
