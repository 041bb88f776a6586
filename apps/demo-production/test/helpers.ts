// Shared test set-up: a private schema and Redis prefix per run, an in-process identity
// provider, servers on ephemeral ports, SDK clients over Streamable HTTP.
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { McpForgeApp } from "@mcpforge/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Redis } from "ioredis";
import pg from "pg";
import { migrate } from "../src/db/migrate.js";
import { generateIdpKey, type IdpKey, serveJwks, signToken } from "../src/idp/local-idp.js";
import { createProductionServer } from "../src/server.js";
import { loadSettings } from "../src/settings.js";

export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const AUDIENCE = "http://demo-production.test/mcp";

/** A random suffix for schema names and Redis prefixes. */
export const randomId = () => randomBytes(6).toString("hex");

/** A fresh schema, migrated and seeded; `drop()` removes it. Fails loudly without PostgreSQL. */
export async function testSchema(): Promise<{
  schema: string;
  admin: pg.Pool;
  drop(): Promise<void>;
}> {
  const schema = `demo_production_t${randomId()}`;
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  await migrate(admin, schema);
  return {
    schema,
    admin,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

/** A local identity provider on an ephemeral port. */
export async function startIdp(): Promise<{
  key: IdpKey;
  issuer: string;
  jwksUrl: string;
  server: Server;
  token(scopes: string[], subject?: string): Promise<string>;
}> {
  const { key } = await generateIdpKey();
  const { server, issuer } = await serveJwks(key, { port: 0 });
  return {
    key,
    issuer,
    server,
    jwksUrl: `${issuer}.well-known/jwks.json`,
    token: (scopes, subject = `user-${randomId()}`) =>
      signToken(key, { issuer, audience: AUDIENCE, scopes, subject }),
  };
}

/** Settings variables for a test server (the .env.production file is not read). */
export function testEnv(
  schema: string,
  idp: { issuer: string; jwksUrl: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL,
    REDIS_URL,
    DATABASE_SCHEMA: schema,
    REDIS_PREFIX: `demo-production-test:${randomId()}:`,
    JWT_ISSUER: idp.issuer,
    JWT_AUDIENCE: AUDIENCE,
    JWT_JWKS_URL: idp.jwksUrl,
    LOG_LEVEL: "silent",
    ...extra,
  };
}

/** The production server in this process, on an ephemeral port. */
export async function startServer(env: Record<string, string>): Promise<{
  app: McpForgeApp;
  url: URL;
  origin: string;
  close(): Promise<void>;
}> {
  const settings = loadSettings({ env, envFile: false });
  const app = await createProductionServer(settings);
  const http = await app.listen({ port: 0 });
  const url = new URL(http.url);
  const close = async () => {
    await http.close();
    await deleteRedisPrefix(settings.redisPrefix);
  };
  return { app, url, origin: url.origin, close };
}

/** Removes a test run's keys from the shared Redis (cache generations have no TTL). */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  if (!prefix.startsWith("demo-production-test:")) throw new Error(`not a test prefix: ${prefix}`);
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/** An SDK client connected over Streamable HTTP with a bearer token. */
export async function connect(url: URL, token: string): Promise<Client> {
  const client = new Client({ name: "demo-production-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** The text of a tool result's first text block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}
