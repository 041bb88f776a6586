import { fileURLToPath } from "node:url";
import { defineSettings } from "@mcpforge/core";
import * as z from "zod";

/**
 * The file read after the real environment (which wins): the guide's `.env.production`.
 *
 * @example
 * loadSettings({ envFile: DEFAULT_ENV_FILE });
 */
export const DEFAULT_ENV_FILE = fileURLToPath(new URL("../.env.production", import.meta.url));

const apiKeyEntry = z.object({
  clientId: z.string().min(1),
  scopes: z.array(z.string().min(1)),
  subject: z.string().min(1).optional(),
});

/** `API_KEYS`: a JSON object `{ "<key of 16+ characters>": { clientId, scopes } }`. */
const apiKeys = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a JSON object" });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(16, "keys must be 16 characters or more"), apiKeyEntry));

/**
 * The guide's `ProductionConfig`, one environment variable per key (`maxRequestSize` →
 * `MAX_REQUEST_SIZE`). JWT settings (all three) or `API_KEYS` are required.
 *
 * @example
 * const settings = defineSettings(settingsSchema, { envFile: ".env.production" });
 */
export const settingsSchema = z
  .object({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(0).max(65_535).default(3000),
    allowedHosts: z.array(z.string().min(1)).default([]),
    corsOrigins: z.array(z.url()).default([]),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .default("postgres://postgres@127.0.0.1:5432/test"),
    databasePoolSize: z.number().int().min(1).max(100).default(10),
    databaseSchema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier")
      .default("demo_production"),
    queryTimeoutMs: z.number().int().min(10).max(60_000).default(5_000),
    queryMaxRows: z.number().int().min(1).max(10_000).default(500),
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// URL")
      .default("redis://127.0.0.1:6379"),
    redisPrefix: z.string().min(1).default("demo-production:"),
    cacheTtl: z.number().int().min(1).max(86_400).default(300),
    jwtIssuer: z.string().min(1).optional(),
    jwtAudience: z.string().min(1).optional(),
    jwtJwksUrl: z.url().optional(),
    apiKeys: apiKeys.optional(),
    rateLimitPerMinute: z.number().int().min(1).max(100_000).default(600),
    toolTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    maxRequestSize: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    maxConcurrentRequests: z.number().int().min(1).max(10_000).default(100),
    enableMetrics: z.boolean().default(true),
    metricsEndpoint: z
      .string()
      .regex(/^\/[\w\-/.]*$/, "must be a path")
      .default("/metrics"),
    logLevel: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    memoryLimitMb: z.number().int().min(1).max(65_536).default(1_024),
    fetchAllowedOrigins: z.array(z.url()).default([]),
    shutdownTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  })
  .superRefine(
    (s, ctx) => {
      const jwt = { jwtIssuer: s.jwtIssuer, jwtAudience: s.jwtAudience, jwtJwksUrl: s.jwtJwksUrl };
      const someJwt = Object.values(jwt).some((v) => v !== undefined);
      if (someJwt || s.apiKeys === undefined) {
        for (const [key, value] of Object.entries(jwt)) {
          if (value === undefined) {
            const why = someJwt ? "the JWT settings go together" : "or set API_KEYS";
            ctx.addIssue({ code: "custom", path: [key], message: `required (${why})` });
          }
        }
      }
    },
    // Also when other variables are bad: one message lists every problem.
    { when: () => true },
  );

/**
 * The server's settings, as read by {@link loadSettings}.
 *
 * @example
 * const port: Settings["port"] = 3000;
 */
export type Settings = z.output<typeof settingsSchema>;

/**
 * Reads the settings from the environment, then `.env.production` (or `envFile`). Throws one
 * `SettingsError` naming every bad or missing variable.
 *
 * @example
 * const settings = loadSettings({ env: { API_KEYS: '{"0123456789abcdef":{"clientId":"ci","scopes":["db:read"]}}' } });
 * console.log(settings.port); // 3000
 */
export function loadSettings(
  options: { env?: Record<string, string | undefined>; envFile?: string | false } = {},
): Settings {
  return defineSettings(settingsSchema, {
    env: options.env ?? process.env,
    envFile: options.envFile ?? DEFAULT_ENV_FILE,
  });
}
