// Starts the production server: settings, migration and seed, then Streamable HTTP.
// SIGTERM/SIGINT drain the calls in flight, close the pool and Redis, and exit 0.
import { SettingsError } from "@mcpforge/core";
import { migrate } from "./db/migrate.js";
import { acquirePool } from "./db/pools.js";
import { createProductionServer } from "./server.js";
import { loadSettings } from "./settings.js";
import { startTracing } from "./tracing.js";

function fail(message: string): never {
  process.stderr.write(`demo-production: ${message}\n`);
  process.exit(1);
}

/** The database's address without credentials, for messages. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}

let settings: ReturnType<typeof loadSettings>;
try {
  const envFile = process.env.ENV_FILE;
  settings = loadSettings(
    envFile === undefined ? {} : { envFile: envFile === "" ? false : envFile },
  );
} catch (err) {
  if (err instanceof SettingsError) fail(`cannot start.\n${err.message}`);
  throw err;
}

const lease = acquirePool({ url: settings.databaseUrl, max: settings.databasePoolSize });
try {
  const applied = await migrate(lease.pool, settings.databaseSchema);
  if (applied.length > 0) {
    process.stderr.write(
      `demo-production: migrated schema ${settings.databaseSchema} (versions ${applied.join(", ")})\n`,
    );
  }
} catch (err) {
  await lease.release();
  const code = (err as { code?: string }).code;
  fail(`cannot prepare the database at ${where(settings.databaseUrl)}${code ? ` (${code})` : ""}`);
}

const otlp = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
const stopTracing = otlp ? startTracing(otlp, "demo-production") : undefined;

const app = await createProductionServer(settings);
if (stopTracing) app.onClose(stopTracing);
await lease.release(); // the server holds its own lease now
const http = await app.listen({
  host: settings.host,
  port: settings.port,
  ...(settings.allowedHosts.length > 0 ? { allowedHosts: settings.allowedHosts } : {}),
  ...(settings.corsOrigins.length > 0 ? { cors: { origins: settings.corsOrigins } } : {}),
  maxBodyBytes: settings.maxRequestSize,
  shutdownTimeoutMs: settings.shutdownTimeoutMs,
  handleSignals: true,
});
process.stderr.write(`demo-production: listening on ${http.url}\n`);
