// Dependency checks: Redis, PostgreSQL (the app's own pool), an HTTP API, a TCP port.
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer } from "@mcpforge/core";
import { health, httpCheck, postgresCheck, redisCheck, tcpCheck } from "@mcpforge/health";
import pg from "pg";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

// A stand-in for an upstream API with a status endpoint.
const upstream = createHttpServer((_req, res) => res.writeHead(204).end());
await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
const upstreamPort = (upstream.address() as AddressInfo).port;

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 5 });
const app = createServer({ name: "orders", version: "1.0.0" });
app.use(
  health({
    timeoutMs: 1000, // a hung dependency fails its check after 1 s; the probe never hangs
    intervalMs: 5000, // results are reused for 5 s: probes do not hammer the dependencies
    details: "always",
    checks: {
      redis: redisCheck({ url: REDIS_URL }),
      db: postgresCheck({ pool }),
      upstream: httpCheck({ url: `http://127.0.0.1:${upstreamPort}/status`, expectStatus: 204 }),
      // Not critical: reported as "warn" when down, the server stays ready.
      smtp: tcpCheck({ host: "127.0.0.1", port: 1, critical: false }),
    },
  }),
);

const http = await app.listen({ port: 0 });
const answer = await fetch(http.url.replace(/\/mcp$/, "/readyz"));
const report = (await answer.json()) as {
  status: string;
  checks: Record<string, { status: string; observedValue?: unknown; output?: string }[]>;
};
console.log(`/readyz ${answer.status}: ${report.status}`);
for (const [key, [entry]] of Object.entries(report.checks)) {
  console.log(`  ${key}: ${entry?.status}${entry?.output ? ` (${entry.output})` : ""}`);
}

await http.close(); // closes the Redis connection the check opened; the pool stays the app's
await pool.end();
upstream.close();
