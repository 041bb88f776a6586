import { createServer, type HttpServerHandle, type ServerLogger } from "@mcpforge/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger, sleep } from "../test-utils/fixtures.js";
import { auth } from "./auth.js";
import { AUDIENCE, b64, closedPort, type Idp, ISSUER, startIdp } from "./test-utils/idp.js";
import { type Answer, bearer, call, INIT, post, request } from "./test-utils/mcp-http.js";
import type { AuthOptions, AuthVars } from "./types.js";

const METADATA = "https://mcp.example.test/.well-known/oauth-protected-resource";
const MISSING = `Bearer resource_metadata="${METADATA}"`;
const invalid = (description: string) =>
  `Bearer error="invalid_token", error_description="${description}", resource_metadata="${METADATA}"`;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function idpFor(): Promise<Idp> {
  const idp = await startIdp();
  cleanup.push(() => idp.close());
  return idp;
}

async function serve(
  options: AuthOptions,
  listen: { mode?: "stateful" | "stateless" } = {},
  logger: ServerLogger = silentLogger,
): Promise<HttpServerHandle> {
  const app = createServer({ name: "secure", version: "1.0.0", logger }).use(auth(options));
  app.tool("whoami", { description: "Describes the caller" }, (_args, ctx) => ({
    auth: JSON.parse(JSON.stringify(ctx.auth ?? null)),
    tokenLength: ctx.auth?.token.length ?? 0,
    principal: {
      method: ctx.var.principal.method,
      clientId: ctx.var.principal.clientId,
      subject: ctx.var.principal.subject,
      scopes: [...ctx.var.principal.scopes],
    },
  }));
  app.tool("ping_tool", { description: "Answers pong" }, () => "pong");
  const h = await app.listen({ port: 0, ...listen });
  cleanup.push(() => h.close());
  return h;
}

function jwtOptions(idp: Idp, extra: Partial<AuthOptions["jwt"]> = {}): AuthOptions {
  return { jwt: { jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: AUDIENCE, ...extra } };
}

function expectRefused(a: Answer, status: number, challenge: string | null, token?: string) {
  expect(a.status).toBe(status);
  expect(a.headers.get("www-authenticate")).toBe(challenge);
  expect(a.headers.get("mcp-session-id")).toBeNull();
  if (token !== undefined) {
    expect(a.text).not.toContain(token);
    expect(a.headers.get("www-authenticate") ?? "").not.toContain(token);
  }
}

const now = () => Math.floor(Date.now() / 1000);

describe("auth() with OAuth 2.1 bearer JWTs", () => {
  it("lets a good token list and call tools through the SDK client, with ctx.auth populated", async () => {
    const idp = await idpFor();
    const h = await serve(jwtOptions(idp));
    const token = await idp.sign({ sub: "alice", client_id: "client-a", scope: "mcp extra" });
    const client = new Client({ name: "sdk", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(h.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    cleanup.push(() => client.close());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["ping_tool", "whoami"]);
    const result = await client.callTool({ name: "whoami", arguments: {} });
    const who = result.structuredContent as {
      auth: Record<string, unknown>;
      tokenLength: number;
      principal: Record<string, unknown>;
    };
    expect(who.auth).toMatchObject({
      clientId: "client-a",
      scopes: ["mcp", "extra"],
      resource: AUDIENCE,
      extra: { method: "jwt", subject: "alice", issuer: ISSUER },
    });
    expect(typeof who.auth.expiresAt).toBe("number");
    // The token is on ctx.auth for handlers that need it, but never serialized with it.
    expect(who.tokenLength).toBe(token.length);
    expect(who.auth).not.toHaveProperty("token");
    expect(JSON.stringify(who)).not.toContain(token);
    expect(who.principal).toEqual({
      method: "jwt",
      clientId: "client-a",
      subject: "alice",
      scopes: ["mcp", "extra"],
    });
    const pong = await client.callTool({ name: "ping_tool", arguments: {} });
    expect(pong.content).toEqual([{ type: "text", text: "pong" }]);
    expect(idp.requests).toBe(1);
  });

  it("answers 401 with a resource_metadata challenge when no credentials are sent", async () => {
    const idp = await idpFor();
    const h = await serve(jwtOptions(idp));
    const a = await post(h.url, INIT);
    expectRefused(a, 401, MISSING);
    expect(a.message?.error).toEqual({
      code: -32001,
      message: "Unauthorized: credentials required",
    });
    // Another scheme counts as no usable credentials; a broken Bearer header is invalid.
    expectRefused(await post(h.url, INIT, { authorization: "Basic YWxpY2U6cHc=" }), 401, MISSING);
    expectRefused(
      await post(h.url, INIT, { authorization: "Bearer two words" }),
      401,
      invalid("The Authorization header is malformed"),
    );
    // GET and DELETE on the endpoint are protected too.
    const get = await fetch(h.url, { headers: { accept: "text/event-stream" } });
    expect(get.status).toBe(401);
    await get.body?.cancel();
    expect(idp.requests).toBe(0);
  });

  it("refuses expired, not-yet-valid, wrong-audience, wrong-issuer and badly signed tokens", async () => {
    const idp = await idpFor();
    await idp.addKey("other");
    const h = await serve(jwtOptions(idp));
    const cases: [string, string, string][] = [
      ["expired", await idp.sign({ exp: now() - 120 }), "The access token expired"],
      ["not yet valid", await idp.sign({ nbf: now() + 120 }), "The access token is not valid yet"],
      [
        "wrong audience",
        await idp.sign({ aud: "https://other.example.test/mcp" }),
        "The access token is invalid",
      ],
      [
        "wrong issuer",
        await idp.sign({ iss: "https://evil.example.test/" }),
        "The access token is invalid",
      ],
      // Signed by a key the IdP never published, claiming the published key's kid.
      [
        "bad signature",
        await idp.sign({}, { kid: "other", headerKid: "k1" }),
        "The access token is invalid",
      ],
      ["no exp", await idp.sign({ exp: undefined }), "The access token is invalid"],
      ["not a JWT", "not-a-jwt", "The access token is invalid"],
    ];
    for (const [what, token, description] of cases) {
      const a = await post(h.url, INIT, bearer(token));
      expect({ what, status: a.status }).toEqual({ what, status: 401 });
      expectRefused(a, 401, invalid(description), token);
      expect(a.message?.error?.code).toBe(-32001);
    }
    // Tokens from another issuer never reach the JWKS; the others shared one fetch.
    expect(idp.requests).toBe(1);
  });

  it("tolerates clock skew within clockToleranceSec only", async () => {
    const idp = await idpFor();
    const h = await serve(jwtOptions(idp, { clockToleranceSec: 30 }));
    expect((await post(h.url, INIT, bearer(await idp.sign({ exp: now() - 10 })))).status).toBe(200);
    expect((await post(h.url, INIT, bearer(await idp.sign({ nbf: now() + 10 })))).status).toBe(200);
    expect((await post(h.url, INIT, bearer(await idp.sign({ exp: now() - 60 })))).status).toBe(401);
  });

  it('refuses alg "none" and HS256 tokens keyed with the public key, without fetching keys', async () => {
    const idp = await idpFor();
    const h = await serve(jwtOptions(idp));
    const claims = {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: "mallory",
      client_id: "mallory",
      scope: "mcp",
      iat: now(),
      exp: now() + 600,
    };
    const none = `${b64({ alg: "none", typ: "JWT", kid: "k1" })}.${b64(claims)}.`;
    const pem = await idp.publicPem("k1");
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: "k1" })
      .sign(new TextEncoder().encode(pem));
    for (const token of [none, hs256]) {
      expectRefused(
        await post(h.url, INIT, bearer(token)),
        401,
        invalid("The access token is invalid"),
        token,
      );
    }
    expect(idp.requests).toBe(0);
    // A well-formed RS256 token still works afterwards.
    expect((await post(h.url, INIT, bearer(await idp.sign()))).status).toBe(200);
  });

  it("only accepts the configured algorithms", async () => {
    const idp = await idpFor();
    await idp.addKey("ec", "ES256");
    idp.publish("ec");
    await idp.addKey("ed", "EdDSA");
    idp.publish("ed");
    const h = await serve(jwtOptions(idp, { algorithms: ["ES256", "EdDSA"] }));
    expect((await post(h.url, INIT, bearer(await idp.sign({}, { kid: "ec" })))).status).toBe(200);
    expect((await post(h.url, INIT, bearer(await idp.sign({}, { kid: "ed" })))).status).toBe(200);
    const rs = await idp.sign({}, { kid: "k1" });
    expectRefused(
      await post(h.url, INIT, bearer(rs)),
      401,
      invalid("The access token is invalid"),
      rs,
    );
  });

  it("refetches the JWKS for an unknown kid at most once per cool-down", async () => {
    const idp = await idpFor();
    await idp.addKey("k2");
    await idp.addKey("k3"); // never published
    await idp.addKey("k4"); // never published
    const h = await serve(jwtOptions(idp, { jwksCooldownSec: 1 }));
    expect((await post(h.url, INIT, bearer(await idp.sign()))).status).toBe(200);
    expect(idp.requests).toBe(1);

    // Within the cool-down an unknown kid does not refetch, even when the key now exists.
    idp.publish("k2");
    const early = await idp.sign({}, { kid: "k2" });
    expectRefused(
      await post(h.url, INIT, bearer(early)),
      401,
      invalid("The access token is invalid"),
      early,
    );
    expect(idp.requests).toBe(1);

    // After it, the first unknown kid refreshes the set (a rotated key is found).
    await sleep(1100);
    expect((await post(h.url, INIT, bearer(await idp.sign({}, { kid: "k2" })))).status).toBe(200);
    expect(idp.requests).toBe(2);

    await sleep(1100);
    const unknown1 = await idp.sign({}, { kid: "k3" });
    expectRefused(
      await post(h.url, INIT, bearer(unknown1)),
      401,
      invalid("The access token is invalid"),
    );
    expect(idp.requests).toBe(3);
    // A second unknown kid within the cool-down: no refetch.
    const unknown2 = await idp.sign({}, { kid: "k4" });
    expectRefused(
      await post(h.url, INIT, bearer(unknown2)),
      401,
      invalid("The access token is invalid"),
    );
    expect(idp.requests).toBe(3);

    // Simultaneous unknown kids after the cool-down share one fetch.
    await sleep(1100);
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => post(h.url, INIT, bearer(unknown2))),
    );
    expect(burst.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(idp.requests).toBe(4);
  });

  it("fails closed with 503 when the JWKS cannot be reached", async () => {
    const idp = await idpFor();
    const token = await idp.sign();
    const port = await closedPort();
    const logs: { msg: string; fields: Record<string, unknown> | undefined }[] = [];
    const logger: ServerLogger = {
      ...silentLogger,
      warn: (msg, fields) => logs.push({ msg, fields }),
    };
    const h = await serve(
      {
        jwt: { jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: ISSUER, audience: AUDIENCE },
      },
      {},
      logger,
    );
    for (let i = 0; i < 3; i++) {
      const a = await post(h.url, INIT, bearer(token));
      expectRefused(a, 503, null, token);
      expect(a.headers.get("retry-after")).toBe("30");
      expect(a.message?.error?.code).toBe(-32010);
    }
    // One fetch attempt per cool-down, logged without the token.
    expect(logs).toHaveLength(1);
    expect(logs[0]?.msg).toBe("JWKS fetch failed");
    expect(JSON.stringify(logs)).not.toContain(token);
  });

  it("fails closed when the JWKS answers errors, and when cached keys expire while it is down", async () => {
    const idp = await idpFor();
    idp.mode = "error";
    const h = await serve(jwtOptions(idp, { jwksCooldownSec: 0.5, jwksCacheMaxAgeSec: 1 }));
    const token = await idp.sign();
    expect((await post(h.url, INIT, bearer(token))).status).toBe(503);
    expect((await post(h.url, INIT, bearer(token))).status).toBe(503);
    expect(idp.requests).toBe(1);
    await sleep(600);
    idp.mode = "ok";
    expect((await post(h.url, INIT, bearer(token))).status).toBe(200);
    expect(idp.requests).toBe(2);
    // Keys are cached...
    idp.mode = "error";
    expect((await post(h.url, INIT, bearer(token))).status).toBe(200);
    expect(idp.requests).toBe(2);
    // ...until they are too old: then a JWKS outage refuses the token.
    await sleep(1100);
    expect((await post(h.url, INIT, bearer(token))).status).toBe(503);
    expect(idp.requests).toBe(3);
  });

  it("with the JWKS endpoint unreachable (its server gone), cached keys keep working until their age runs out, then 503 + Retry-After", async () => {
    const idp = await startIdp(); // closed by this test, not by cleanup
    const h = await serve(jwtOptions(idp, { jwksCooldownSec: 0.5, jwksCacheMaxAgeSec: 1.5 }));
    const token = await idp.sign();
    expect((await post(h.url, INIT, bearer(token))).status).toBe(200);
    await idp.close(); // connections to the JWKS URL are now refused
    for (let i = 0; i < 3; i++) expect((await post(h.url, INIT, bearer(token))).status).toBe(200);
    await sleep(1600);
    const refused = await post(h.url, INIT, bearer(token));
    expectRefused(refused, 503, null, token);
    expect(refused.headers.get("retry-after")).toBe("1"); // the cool-down, rounded up
    expect(refused.message?.error?.code).toBe(-32010);
  });

  it("answers 403 insufficient_scope when a token lacks jwt.requiredScopes", async () => {
    const idp = await idpFor();
    const h = await serve(jwtOptions(idp, { requiredScopes: ["mcp", "mcp:tools"] }));
    const token = await idp.sign({ scope: "mcp" });
    const a = await post(h.url, INIT, bearer(token));
    expectRefused(
      a,
      403,
      `Bearer error="insufficient_scope", scope="mcp mcp:tools", error_description="The access token lacks a required scope", resource_metadata="${METADATA}"`,
      token,
    );
    expect(a.message?.error).toEqual({
      code: -32003,
      message: 'Forbidden: the access token lacks the scope "mcp:tools"',
    });
    // Without credentials the challenge names the scopes to ask for.
    expectRefused(
      await post(h.url, INIT),
      401,
      `Bearer scope="mcp mcp:tools", resource_metadata="${METADATA}"`,
    );
    const ok = await post(h.url, INIT, bearer(await idp.sign({ scope: "mcp:tools mcp" })));
    expect(ok.status).toBe(200);
  });

  it("binds a session to its principal: another principal's token gets 404", async () => {
    const idp = await idpFor();
    const h = await serve(jwtOptions(idp));
    const alice = bearer(await idp.sign({ sub: "alice", client_id: "shared-client" }));
    const bob = bearer(await idp.sign({ sub: "bob", client_id: "shared-client" }));
    const init = await post(h.url, INIT, alice);
    const sid = init.headers.get("mcp-session-id") as string;
    expect(sid).toBeTruthy();
    const mine = await post(h.url, call(2, "whoami"), { ...alice, "mcp-session-id": sid });
    expect(mine.status).toBe(200);
    expect(mine.message?.result?.structuredContent).toMatchObject({
      principal: { subject: "alice" },
    });
    const stolen = await post(h.url, call(3, "whoami"), { ...bob, "mcp-session-id": sid });
    expect(stolen.status).toBe(404);
    // Alice's own token (a fresh one for the same subject) still works on her session.
    const again = bearer(await idp.sign({ sub: "alice", client_id: "shared-client" }));
    expect(
      (await post(h.url, call(4, "ping_tool"), { ...again, "mcp-session-id": sid })).status,
    ).toBe(200);
  });

  it("checks every request of a stateless server", async () => {
    const idp = await idpFor();
    const h = await serve(jwtOptions(idp), { mode: "stateless" });
    expect((await post(h.url, request(1, "tools/list"))).status).toBe(401);
    const a = await post(h.url, request(2, "tools/list"), bearer(await idp.sign()));
    expect(a.status).toBe(200);
    expect((a.message?.result?.tools as unknown[]).length).toBe(2);
  });

  it("serves the RFC 9728 protected-resource metadata without credentials", async () => {
    const idp = await idpFor();
    const h = await serve({
      ...jwtOptions(idp, { requiredScopes: ["mcp"] }),
      require: { tools: { whoami: ["mcp:whoami"] }, tags: { admin: ["mcp:admin"] } },
      resourceName: "Secure MCP",
    });
    const origin = new URL(h.url).origin;
    for (const path of [
      "/.well-known/oauth-protected-resource",
      "/.well-known/oauth-protected-resource/mcp",
    ]) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual({
        resource: AUDIENCE,
        authorization_servers: [ISSUER],
        scopes_supported: ["mcp", "mcp:whoami", "mcp:admin"],
        bearer_methods_supported: ["header"],
        resource_name: "Secure MCP",
      });
    }
    // The challenge points at the document on the resource's origin.
    const a = await post(h.url, INIT);
    expect(a.headers.get("www-authenticate")).toBe(
      `Bearer scope="mcp", resource_metadata="${METADATA}"`,
    );
    expect(idp.requests).toBe(0);
  });

  it("marks the app authenticated so it may bind non-loopback addresses", async () => {
    const idp = await idpFor();
    const app = createServer({ name: "s", version: "1", logger: silentLogger });
    expect(app.authenticated).toBe(false);
    app.use<AuthVars>(auth(jwtOptions(idp)));
    expect(app.authenticated).toBe(true);
  });
});
