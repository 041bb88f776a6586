// The whole server over HTTP with the SDK client and real tokens from a local JWKS: scopes,
// the notes plugin, the response cache, health, and refusals.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, startIdp, startServer, testEnv, testSchema, textOf } from "./helpers.js";

const CACHE_KEY = "dev.mcpforge/cache";

describe("demo-production end to end", () => {
  let db: Awaited<ReturnType<typeof testSchema>>;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let server: Awaited<ReturnType<typeof startServer>>;
  let reader: Client;
  let writer: Client;

  beforeAll(async () => {
    db = await testSchema();
    idp = await startIdp();
    server = await startServer(testEnv(db.schema, idp, { METRICS_ENDPOINT: "/internal/metrics" }));
    reader = await connect(server.url, await idp.token(["db:read", "notes:read"], "reader"));
    writer = await connect(
      server.url,
      await idp.token(["db:read", "notes:read", "notes:write"], "writer"),
    );
  });

  afterAll(async () => {
    await reader?.close();
    await writer?.close();
    await server?.close();
    idp?.server.close();
    await db?.drop();
  });

  it("refuses requests without a token (401) or with a token of another issuer", async () => {
    const anonymous = await fetch(server.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    expect(anonymous.status).toBe(401);
    const stranger = await startIdp(); // a different key: its signature does not verify
    try {
      const forged = await fetch(server.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          authorization: `Bearer ${await stranger.token(["notes:write"])}`,
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      });
      expect(forged.status).toBe(401);
    } finally {
      stranger.server.close();
    }
  });

  it("lists only the tools a token's scopes allow", async () => {
    const names = (await reader.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual([
      "analyze_text",
      "get_table_schema",
      "health_check",
      "list_notes",
      "query_database",
      "search_notes",
    ]);
    const all = (await writer.listTools()).tools;
    const deleteNote = all.find((t) => t.name === "delete_note");
    expect(deleteNote?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(all.map((t) => t.name)).toEqual(
      expect.arrayContaining(["create_note", "import_notes", "delete_note"]),
    );
  });

  it("serves the read tools", async () => {
    const notes = await reader.callTool({ name: "list_notes", arguments: { limit: 10 } });
    expect((notes.structuredContent as { notes: unknown[] }).notes).toHaveLength(3);
    const found = await reader.callTool({ name: "search_notes", arguments: { query: "grinders" } });
    expect((found.structuredContent as { notes: Array<{ title: string }> }).notes).toEqual([
      expect.objectContaining({ title: "Restock the grinders" }),
    ]);
  });

  it("refuses write tools without notes:write, and the database is unchanged", async () => {
    for (const [name, args] of [
      ["create_note", { title: "sneaky" }],
      ["delete_note", { id: 1 }],
      ["import_notes", { notes: [{ title: "sneaky" }] }],
    ] as const) {
      const refused = await reader.callTool({ name, arguments: args }).then(
        () => undefined,
        (err: { code?: number; message?: string }) => err,
      );
      expect(refused?.code).toBe(-32003);
      expect(refused?.message).toMatch(/notes:write/);
    }
    const count = await db.admin.query(`SELECT count(*)::int AS n FROM "${db.schema}".notes`);
    expect(count.rows[0]).toEqual({ n: 3 });
  });

  it("creates, finds and deletes notes with notes:write", async () => {
    const created = (await writer.callTool({
      name: "create_note",
      arguments: { title: "Quarterly plan", body: "Ship the production demo", tags: ["plans"] },
    })) as CallToolResult;
    const note = created.structuredContent as { id: number; author: string };
    expect(note.author).toBe("writer");
    const found = await reader.callTool({
      name: "search_notes",
      arguments: { query: "quarterly" },
    });
    expect((found.structuredContent as { notes: Array<{ id: number }> }).notes).toEqual([
      expect.objectContaining({ id: note.id }),
    ]);
    const deleted = await writer.callTool({ name: "delete_note", arguments: { id: note.id } });
    expect(deleted.structuredContent).toEqual({ deleted: true, id: note.id });
    const again = await writer.callTool({ name: "delete_note", arguments: { id: note.id } });
    expect(again.structuredContent).toEqual({ deleted: false, id: note.id });
  });

  it("imports a batch with partial failures: the good notes are kept", async () => {
    const result = (await writer.callTool({
      name: "import_notes",
      arguments: {
        notes: [
          { title: "Batch one", body: "ok" },
          { title: "", body: "empty title" },
          { title: "Batch three", body: "ok" },
          { title: "x".repeat(201), body: "title too long" },
          { title: "Batch five", body: "y".repeat(10_001) },
        ],
      },
    })) as CallToolResult;
    const out = result.structuredContent as {
      status: string;
      created: Array<{ index: number; id: number }>;
      failed: Array<{ index: number; error: string }>;
    };
    expect(out.status).toBe("partial");
    expect(out.created.map((c) => c.index)).toEqual([0, 2]);
    expect(out.failed.map((f) => f.index)).toEqual([1, 3, 4]);
    const stored = await db.admin.query<{ title: string }>(
      `SELECT title FROM "${db.schema}".notes WHERE title LIKE 'Batch%' ORDER BY id`,
    );
    expect(stored.rows.map((r) => r.title)).toEqual(["Batch one", "Batch three"]);
  });

  it("serves the second identical read from the cache (_meta marker)", async () => {
    const args = {
      sql: "SELECT category, sum(stock)::int AS stock FROM products GROUP BY 1 ORDER BY 1",
      params: [],
    };
    const first = await reader.callTool({ name: "query_database", arguments: args });
    expect(first._meta?.[CACHE_KEY]).toBeUndefined();
    const second = await reader.callTool({ name: "query_database", arguments: args });
    expect(second._meta?.[CACHE_KEY]).toMatchObject({ hit: true });
    expect(second.structuredContent).toEqual(first.structuredContent);
    // Another principal never gets this principal's entry.
    const other = await writer.callTool({ name: "query_database", arguments: args });
    expect(other._meta?.[CACHE_KEY]).toBeUndefined();
  });

  it("answers health probes and the health_check tool", async () => {
    const live = await fetch(new URL("/healthz", server.origin));
    expect(live.status).toBe(200);
    const ready = await fetch(new URL("/readyz", server.origin));
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: Record<string, unknown> };
    expect(body.status).toBe("pass");
    expect(Object.keys(body.checks).sort()).toEqual([
      "eventLoop:delay",
      "postgres:responseTime",
      "redis:responseTime",
    ]);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|postgres:\/\/|redis:\/\//);
    const tool = await reader.callTool({ name: "health_check", arguments: {} });
    expect(tool.structuredContent).toMatchObject({ status: "pass" });
  });

  it("serves Prometheus metrics at METRICS_ENDPOINT", async () => {
    await reader.callTool({ name: "health_check", arguments: {} });
    const res = await fetch(new URL("/internal/metrics", server.origin));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(
      /^mcp_server_operation_duration_seconds_count\{[^}]*mcp_method_name="tools\/call"[^}]*\} [1-9]/m,
    );
    expect((await fetch(new URL("/metrics", server.origin))).status).toBe(404);
  });

  it("masks unexpected errors and shows tool errors", async () => {
    const bad = (await reader.callTool({
      name: "query_database",
      arguments: { sql: "SELECT 1/0 AS boom" },
    })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/division by zero/);
  });
});
