// The Redis rate limit answers HTTP 429 with a -32029 JSON-RPC error once a principal has used
// RATE_LIMIT_PER_MINUTE requests; another principal is not affected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIdp, startServer, testEnv, testSchema } from "./helpers.js";

const LIMIT = 12;

describe("rate limit", () => {
  let db: Awaited<ReturnType<typeof testSchema>>;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    db = await testSchema();
    idp = await startIdp();
    server = await startServer(testEnv(db.schema, idp, { RATE_LIMIT_PER_MINUTE: String(LIMIT) }));
  });

  afterAll(async () => {
    await server?.close();
    idp?.server.close();
    await db?.drop();
  });

  const initialize = (token: string) =>
    fetch(server.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "rate-limit-test", version: "1.0.0" },
        },
      }),
    });

  it("answers 429 / -32029 past the configured rate, per principal", async () => {
    const token = await idp.token(["db:read"], "busy-user");
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < LIMIT + 8; i++) {
      const res = await initialize(token);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
      else await res.body?.cancel();
    }
    const allowed = statuses.filter((s) => s === 200).length;
    // The bucket holds LIMIT requests and refills LIMIT per minute: at most one more while
    // the loop runs.
    expect(allowed).toBeGreaterThanOrEqual(LIMIT);
    expect(allowed).toBeLessThanOrEqual(LIMIT + 1);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(limited?.headers.get("retry-after")).toMatch(/^\d+$/);
    const body = (await limited?.json()) as { error: { code: number } };
    expect(body.error.code).toBe(-32029);

    const other = await initialize(await idp.token(["db:read"], "calm-user"));
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });
});
