// MAX_CONCURRENT_REQUESTS and TOOL_TIMEOUT_MS in the stack, with real slow queries.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, startIdp, startServer, testEnv, testSchema, textOf } from "./helpers.js";

describe("limits", () => {
  let db: Awaited<ReturnType<typeof testSchema>>;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    db = await testSchema();
    idp = await startIdp();
    server = await startServer(
      testEnv(db.schema, idp, {
        MAX_CONCURRENT_REQUESTS: "2",
        TOOL_TIMEOUT_MS: "3000",
        QUERY_TIMEOUT_MS: "20000",
      }),
    );
  });

  afterAll(async () => {
    await server?.close();
    idp?.server.close();
    await db?.drop();
  });

  it("refuses tool calls past MAX_CONCURRENT_REQUESTS at once (-32010)", async () => {
    const client = await connect(server.url, await idp.token(["db:read"]));
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          client
            .callTool({
              name: "query_database",
              arguments: { sql: "SELECT pg_sleep(1), $1::int AS i", params: [i] },
            })
            .then(
              (r) => (r.isError ? `error: ${textOf(r)}` : "ok"),
              (err: { code?: number }) => String(err.code),
            ),
        ),
      );
      expect(
        outcomes.filter((o) => o === "ok"),
        outcomes.join("; "),
      ).toHaveLength(2);
      expect(outcomes.filter((o) => o === "-32010")).toHaveLength(3);
    } finally {
      await client.close();
    }
  });

  it("ends a tool call at TOOL_TIMEOUT_MS", async () => {
    const client = await connect(server.url, await idp.token(["db:read"]));
    try {
      const result = (await client.callTool({
        name: "query_database",
        arguments: { sql: "SELECT pg_sleep(10) AS slow" },
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/timed out after 3000 ms/);
      // The query was cancelled in PostgreSQL, not left running until its statement timeout.
      let running = 1;
      for (let i = 0; i < 40 && running > 0; i++) {
        const r = await db.admin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(10) AS slow%' AND pid <> pg_backend_pid()",
        );
        running = r.rows[0]?.n ?? 0;
        if (running > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(running).toBe(0);
    } finally {
      await client.close();
    }
  });
});
