// Creates the demo schema, its tables and seed data in DATABASE_URL (idempotent).
//   pnpm --filter demo-production migrate

import { migrate } from "../src/db/migrate.js";
import { acquirePool } from "../src/db/pools.js";
import { loadSettings } from "../src/settings.js";

const settings = loadSettings({ env: { API_KEYS: "{}", ...process.env } });
const lease = acquirePool({ url: settings.databaseUrl, max: 1 });
try {
  const applied = await migrate(lease.pool, settings.databaseSchema);
  process.stderr.write(
    applied.length > 0
      ? `migrated schema ${settings.databaseSchema}: versions ${applied.join(", ")}\n`
      : `schema ${settings.databaseSchema} is up to date\n`,
  );
} finally {
  await lease.release();
}
