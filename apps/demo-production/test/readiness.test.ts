// /readyz follows the app's PostgreSQL: the app reaches it through a TCP relay the test
// closes (so the port refuses connections) and opens again on the same port.
import { once } from "node:events";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connect,
  DATABASE_URL,
  startIdp,
  startServer,
  testEnv,
  testSchema,
  textOf,
} from "./helpers.js";

/** A TCP relay to PostgreSQL that can be closed (refusing connections) and reopened. */
function relay(target: URL) {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const open = async (port: number) => {
    server = createServer((inbound) => {
      const outbound = createConnection(Number(target.port || 5432), target.hostname);
      for (const s of [inbound, outbound]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => undefined);
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    return typeof address === "object" && address !== null ? address.port : port;
  };
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  };
  return { open, close };
}

async function readyStatus(origin: string): Promise<number> {
  const res = await fetch(new URL("/readyz", origin));
  await res.body?.cancel();
  return res.status;
}

/** Polls until /readyz answers `status` (the checks time out after 1 s). */
async function waitForReady(origin: string, status: number): Promise<number> {
  let last = 0;
  for (let i = 0; i < 40; i++) {
    last = await readyStatus(origin);
    if (last === status) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

describe("/readyz and an unreachable PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof testSchema>>;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let server: Awaited<ReturnType<typeof startServer>>;
  const pgRelay = relay(new URL(DATABASE_URL));
  let port: number;

  beforeAll(async () => {
    db = await testSchema();
    idp = await startIdp();
    port = await pgRelay.open(0);
    const url = new URL(DATABASE_URL);
    url.host = `127.0.0.1:${port}`;
    server = await startServer(testEnv(db.schema, idp, { DATABASE_URL: url.toString() }));
  });

  afterAll(async () => {
    await server?.close();
    await pgRelay.close();
    idp?.server.close();
    await db?.drop();
  });

  it("goes 503 while PostgreSQL is unreachable and back to 200 when it returns", async () => {
    expect(await readyStatus(server.origin)).toBe(200);
    const client = await connect(server.url, await idp.token(["db:read"]));
    try {
      await pgRelay.close();
      expect(await waitForReady(server.origin, 503)).toBe(503);
      const body = await (await fetch(new URL("/readyz", server.origin))).json();
      expect(body).toMatchObject({
        status: "fail",
        checks: {
          "postgres:responseTime": [{ status: "fail" }],
          "redis:responseTime": [{ status: "pass" }],
        },
      });
      expect(JSON.stringify(body)).not.toContain(String(port));
      // Liveness does not depend on PostgreSQL.
      expect((await fetch(new URL("/healthz", server.origin))).status).toBe(200);
      // Tool calls fail as tool errors that name no address.
      const failed = await client.callTool({
        name: "query_database",
        arguments: { sql: "SELECT 1 AS one" },
      });
      expect(failed.isError).toBe(true);
      expect(textOf(failed)).toMatch(/unavailable/);
      expect(textOf(failed)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|\d{4,5}/);

      await pgRelay.open(port);
      expect(await waitForReady(server.origin, 200)).toBe(200);
      const ok = await client.callTool({
        name: "query_database",
        arguments: { sql: "SELECT 2 AS two" },
      });
      expect(ok.structuredContent).toMatchObject({ rows: [{ two: 2 }] });
    } finally {
      await client.close();
    }
  });
});
