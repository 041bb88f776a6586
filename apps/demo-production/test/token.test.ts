// The local identity provider script: prints a token, serves the JWKS it verifies against,
// and the server accepts that token.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTs, waitForOutput } from "./child.js";
import { AUDIENCE, connect, startServer, testEnv, testSchema } from "./helpers.js";

/** A port that is free right now. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address !== null ? address.port : 0;
}

describe("pnpm --filter demo-production token", () => {
  let dir: string;
  let port: number;
  let keyFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "demo-idp-"));
    keyFile = join(dir, "key.json");
    port = await freePort();
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const token = (args: string[]) =>
    runTs("scripts/token.ts", ["--port", String(port), "--audience", AUDIENCE, ...args], {
      IDP_KEY_FILE: keyFile,
    });

  it("signs a token the server accepts, with the JWKS it serves", async () => {
    const idp = token(["--scopes", "db:read,notes:write", "--sub", "ada"]);
    try {
      const [, jwt] = await waitForOutput(idp.child, idp.output, "stdout", /^(\S+)\n/);
      await waitForOutput(idp.child, idp.output, "stderr", /JWKS served/);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      const issuer = `http://127.0.0.1:${port}/`;
      const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`));
      const { payload } = await jwtVerify(jwt as string, jwks, { issuer, audience: AUDIENCE });
      expect(payload).toMatchObject({ sub: "ada", scope: "db:read notes:write" });

      // A second run reuses the key, sees the port taken, prints its token and exits.
      const second = token(["--scopes", "notes:read"]);
      expect(await second.exited).toEqual({ code: 0, signal: null });
      expect(second.output.stderr).toMatch(/another token run serves the JWKS/);
      await jwtVerify(second.output.stdout.trim(), jwks, { issuer, audience: AUDIENCE });

      const db = await testSchema();
      const server = await startServer(
        testEnv(db.schema, { issuer, jwksUrl: `${issuer}.well-known/jwks.json` }),
      );
      try {
        const client = await connect(server.url, jwt as string);
        const tools = (await client.listTools()).tools.map((t) => t.name);
        expect(tools).toContain("query_database");
        expect(tools).not.toContain("list_notes"); // no notes:read in this token
        await client.close();
      } finally {
        await server.close();
        await db.drop();
      }
    } finally {
      idp.child.kill("SIGTERM");
      await idp.exited;
    }
  }, 40_000);
});
