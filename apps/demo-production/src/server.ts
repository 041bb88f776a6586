import { fileURLToPath } from "node:url";
import { responseCache } from "@mcpforge/cache/middleware";
import { tieredStore } from "@mcpforge/cache/tiered";
import { createServer, type McpForgeApp } from "@mcpforge/core";
import { auth } from "@mcpforge/middleware/auth";
import { concurrency } from "@mcpforge/middleware/concurrency";
import { errorMasking } from "@mcpforge/middleware/errors";
import { logging } from "@mcpforge/middleware/logging";
import { rateLimit, redisRateLimitStore } from "@mcpforge/middleware/rate-limit";
import { timeout } from "@mcpforge/middleware/timeout";
import { timing } from "@mcpforge/middleware/timing";
import { validation } from "@mcpforge/middleware/validation";
import { loadPlugins } from "@mcpforge/plugins";
import { telemetry } from "@mcpforge/telemetry";
import { acquirePool } from "./db/pools.js";
import { installHealth } from "./health.js";
import type { Settings } from "./settings.js";
import { registerAnalyzeText } from "./tools/analyze-text.js";
import { registerFetchUrls } from "./tools/fetch-urls.js";

/**
 * The plugin config loaded at startup (module names and options: data, never code).
 *
 * @example
 * await loadPlugins(app, PLUGINS_CONFIG, { env: { DATABASE_URL: "postgres://…" } });
 */
export const PLUGINS_CONFIG = fileURLToPath(new URL("../plugins.json", import.meta.url));

/**
 * Scopes per component tag (the plugins tag their tools; `health_check` needs none).
 *
 * @example
 * app.use(auth({ apiKeys: { keys: {} }, require: { tags: SCOPES } }));
 */
export const SCOPES = {
  database: ["db:read"],
  notes: ["notes:read"],
  "notes-write": ["notes:write"],
  web: ["web:fetch"],
} as const;

/** The values `plugins.json` substitutes, from the validated settings (defaults applied). */
function pluginEnv(settings: Settings): Record<string, string> {
  return {
    DATABASE_URL: settings.databaseUrl,
    DATABASE_POOL_SIZE: String(settings.databasePoolSize),
    DATABASE_SCHEMA: settings.databaseSchema,
    QUERY_TIMEOUT_MS: String(settings.queryTimeoutMs),
    QUERY_MAX_ROWS: String(settings.queryMaxRows),
  };
}

/**
 * Builds the production server from its settings: the middleware stack, the tiered response
 * cache, the plugins of `plugins.json`, health, and the guide's advanced-pattern tools. Closing
 * the app closes the pool, the Redis connections and the plugins.
 *
 * @example
 * import { loadSettings } from "./settings.js";
 * const app = await createProductionServer(loadSettings());
 * const http = await app.listen({ port: 3000 });
 */
export async function createProductionServer(settings: Settings): Promise<McpForgeApp> {
  const app = createServer({
    name: "demo-production",
    version: "0.1.0",
    instructions:
      "A product catalog and orders in PostgreSQL (query_database, get_table_schema), team " +
      "notes (list/search/create/import/delete), parallel web fetches and text analysis.",
  });
  const prefix = settings.redisPrefix;

  // Order matters: tracing sees everything; errors are masked for every later layer; the
  // logger logs the real error with the same correlation id; auth runs before the rate limit
  // (limits per principal) and before the cache (entries per principal and scopes).
  app.use(telemetry());
  const lease = acquirePool({
    url: settings.databaseUrl,
    max: settings.databasePoolSize,
    logger: app.logger,
  });
  // Probes, /metrics and health_check; its metrics middleware times the layers below.
  installHealth(app, {
    pool: lease.pool,
    redisUrl: settings.redisUrl,
    enableMetrics: settings.enableMetrics,
    metricsEndpoint: settings.metricsEndpoint,
  });
  app.use(errorMasking());
  app.use(logging({ level: settings.logLevel }));
  app.use(timing({ slowMs: 1_000 }));
  app.use(
    auth({
      ...(settings.jwtJwksUrl !== undefined &&
      settings.jwtIssuer !== undefined &&
      settings.jwtAudience !== undefined
        ? {
            jwt: {
              jwksUrl: settings.jwtJwksUrl,
              issuer: settings.jwtIssuer,
              audience: settings.jwtAudience,
            },
          }
        : {}),
      ...(settings.apiKeys !== undefined ? { apiKeys: { keys: settings.apiKeys } } : {}),
      require: { tags: SCOPES },
    }),
  );
  const rateStore = redisRateLimitStore({ url: settings.redisUrl, prefix: `${prefix}rate-limit:` });
  app.use(
    rateLimit({
      store: rateStore,
      global: {
        algorithm: "token-bucket",
        capacity: settings.rateLimitPerMinute,
        refillPerSecond: settings.rateLimitPerMinute / 60,
      },
    }),
  );
  app.use(
    validation({
      default: {
        maxStringLength: 10_000,
        maxArrayLength: 1_000,
        maxArgumentBytes: 256 * 1024,
        maxDepth: 10,
      },
      tools: {
        import_notes: { maxStringLength: 20_000, maxArgumentBytes: 2 * 1024 * 1024 },
        analyze_text: {
          maxStringLength: settings.maxRequestSize,
          maxArgumentBytes: settings.maxRequestSize,
        },
      },
    }),
  );
  app.use(timeout({ defaultMs: settings.toolTimeoutMs }));
  app.use(concurrency({ max: settings.maxConcurrentRequests }));
  const cacheStore = tieredStore({
    memory: { maxEntries: 5_000, maxBytes: 32 * 1024 * 1024 },
    redis: { url: settings.redisUrl, prefix: `${prefix}cache:` },
  });
  app.use(
    responseCache({
      store: cacheStore,
      ttlMs: settings.cacheTtl * 1_000,
      tools: ["query_database", "get_table_schema"],
      resources: false,
      prompts: false,
      lists: false,
    }),
  );

  registerFetchUrls(app, { allowedOrigins: settings.fetchAllowedOrigins });
  registerAnalyzeText(app, {
    maxInputChars: settings.maxRequestSize,
    memoryLimitBytes: settings.memoryLimitMb * 1024 * 1024,
  });
  await loadPlugins(app, PLUGINS_CONFIG, { env: pluginEnv(settings) });

  app.onClose(async () => {
    await Promise.allSettled([rateStore.close(), cacheStore.close()]);
    await lease.release();
  });
  return app;
}
