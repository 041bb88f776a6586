// The local alternative to JWTs: API_KEYS (no JWKS needed), with the same scopes per tag.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, testEnv, testSchema } from "./helpers.js";

const READ_KEY = "read-key-0123456789abcdef";

describe("API keys", () => {
  let db: Awaited<ReturnType<typeof testSchema>>;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    db = await testSchema();
    const {
      JWT_ISSUER: _i,
      JWT_AUDIENCE: _a,
      JWT_JWKS_URL: _j,
      ...env
    } = testEnv(db.schema, {
      issuer: "unused",
      jwksUrl: "unused",
    });
    server = await startServer({
      ...env,
      API_KEYS: JSON.stringify({
        [READ_KEY]: { clientId: "ci", scopes: ["db:read", "notes:read"] },
      }),
    });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const connectWithKey = async (key: string) => {
    const client = new Client({ name: "api-key-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(server.url, {
        requestInit: { headers: { "x-api-key": key } },
      }),
    );
    return client;
  };

  it("serves a known key with its scopes and refuses an unknown one", async () => {
    const client = await connectWithKey(READ_KEY);
    try {
      const notes = await client.callTool({ name: "list_notes", arguments: {} });
      expect((notes.structuredContent as { notes: unknown[] }).notes).toHaveLength(3);
      const refused = await client
        .callTool({ name: "create_note", arguments: { title: "no" } })
        .then(
          () => undefined,
          (err: { code?: number }) => err,
        );
      expect(refused?.code).toBe(-32003);
    } finally {
      await client.close();
    }
    await expect(connectWithKey("wrong-key-0123456789abcdef")).rejects.toThrow(
      /-32001.*API key is invalid/,
    );
  });
});
