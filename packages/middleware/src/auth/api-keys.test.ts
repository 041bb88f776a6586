import { createServer, type HttpServerHandle, type ServerLogger } from "@mcpforge/core";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../test-utils/fixtures.js";
import { auth } from "./auth.js";
import { AUDIENCE, ISSUER, startIdp } from "./test-utils/idp.js";
import { bearer, call, INIT, post } from "./test-utils/mcp-http.js";
import type { AuthOptions } from "./types.js";

const ALICE = "alice-key-0123456789abcdef";
const BOB = "bob-key-0123456789abcdef-longer";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function serve(
  options: AuthOptions,
  logger: ServerLogger = silentLogger,
): Promise<HttpServerHandle> {
  const app = createServer({ name: "keys", version: "1.0.0", logger }).use(auth(options));
  app.tool("whoami", { description: "Describes the caller" }, (_args, ctx) => ({
    auth: JSON.parse(JSON.stringify(ctx.auth ?? null)),
    token: ctx.auth?.token,
    method: ctx.var.principal.method,
  }));
  const h = await app.listen({ port: 0 });
  cleanup.push(() => h.close());
  return h;
}

const KEYS: AuthOptions["apiKeys"] = {
  keys: {
    [ALICE]: { clientId: "alice", scopes: ["mcp"] },
    [BOB]: { clientId: "bob", scopes: [], subject: "user-bob" },
  },
};

describe("auth() with API keys", () => {
  it("accepts a known x-api-key and refuses unknown or near-miss keys", async () => {
    const h = await serve({ apiKeys: KEYS });
    const init = await post(h.url, INIT, { "x-api-key": ALICE });
    expect(init.status).toBe(200);
    const sid = init.headers.get("mcp-session-id") as string;
    const who = await post(h.url, call(2, "whoami"), { "x-api-key": ALICE, "mcp-session-id": sid });
    expect(who.message?.result?.structuredContent).toEqual({
      auth: { clientId: "alice", scopes: ["mcp"], extra: { method: "api-key" } },
      // The key itself is never copied onto ctx.auth.
      token: "",
      method: "api-key",
    });
    expect(who.text).not.toContain(ALICE);

    for (const wrong of [`${ALICE}x`, ALICE.slice(0, -1), ALICE.toUpperCase(), "short", ""]) {
      const a = await post(h.url, INIT, { "x-api-key": wrong });
      expect(a.status).toBe(401);
      expect(a.headers.get("www-authenticate")).toBe(
        'ApiKey error="invalid_token", error_description="The API key is invalid"',
      );
      if (wrong !== "") expect(a.text).not.toContain(wrong);
    }
    const none = await post(h.url, INIT);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("ApiKey");
    // A bearer token is not an API key when keys travel in x-api-key.
    expect((await post(h.url, INIT, bearer(ALICE))).status).toBe(401);
  });

  it("gives a static key's requests one frozen ctx.auth: a handler cannot change the next request's", async () => {
    const app = createServer({ name: "keys", version: "1.0.0", logger: silentLogger }).use(
      auth({ apiKeys: KEYS }),
    );
    const seen: unknown[] = [];
    app.tool("tamper", { description: "Tries to widen its own scopes" }, (_args, ctx) => {
      seen.push(ctx.auth);
      const attempts = [
        () => ctx.auth?.scopes.push("admin"),
        () => Object.assign(ctx.auth as object, { clientId: "root" }),
        () => Object.assign(ctx.auth?.extra as object, { subject: "root" }),
      ];
      return {
        refused: attempts.filter((attempt) => {
          try {
            attempt();
            return false;
          } catch {
            return true;
          }
        }).length,
        auth: JSON.parse(JSON.stringify(ctx.auth)),
      };
    });
    const h = await app.listen({ port: 0, mode: "stateless" });
    cleanup.push(() => h.close());
    for (const id of [1, 2]) {
      const res = await post(h.url, call(id, "tamper"), { "x-api-key": ALICE });
      expect(res.message?.result?.structuredContent).toEqual({
        refused: 3,
        auth: { clientId: "alice", scopes: ["mcp"], extra: { method: "api-key" } },
      });
    }
    expect(seen[0]).toBe(seen[1]);
  });

  it("binds sessions to the key's principal (subject, else clientId)", async () => {
    const h = await serve({ apiKeys: KEYS });
    const init = await post(h.url, INIT, { "x-api-key": BOB });
    const sid = init.headers.get("mcp-session-id") as string;
    expect(
      (await post(h.url, call(2, "whoami"), { "x-api-key": BOB, "mcp-session-id": sid })).status,
    ).toBe(200);
    const stolen = await post(h.url, call(3, "whoami"), {
      "x-api-key": ALICE,
      "mcp-session-id": sid,
    });
    expect(stolen.status).toBe(404);
  });

  it("reads keys from Authorization: Bearer, next to JWTs, when asked to", async () => {
    const idp = await startIdp();
    cleanup.push(() => idp.close());
    const h = await serve({
      apiKeys: { header: "authorization", keys: KEYS.keys },
      jwt: { jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: AUDIENCE },
    });
    const key = await post(h.url, INIT, bearer(ALICE));
    expect(key.status).toBe(200);
    const jwt = await post(h.url, INIT, bearer(await idp.sign()));
    expect(jwt.status).toBe(200);
    const bad = await post(h.url, INIT, bearer("nope-not-a-key-0123456789"));
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toBe(
      'Bearer error="invalid_token", error_description="The API key is invalid", resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource"',
    );
    // x-api-key is not read in this mode.
    expect((await post(h.url, INIT, { "x-api-key": ALICE })).status).toBe(401);
  });

  it("uses a lookup function; a failing lookup answers 503 and its log never quotes the key", async () => {
    const warnings: unknown[] = [];
    const logger: ServerLogger = {
      ...silentLogger,
      warn: (msg, fields) => warnings.push({ msg, fields }),
    };
    const h = await serve(
      {
        apiKeys: {
          keys: async (key) => {
            if (key === "boom-key") throw new Error(`database rejected boom-key`);
            if (key === "odd-key") return { clientId: 42 } as never;
            return key === ALICE ? { clientId: "alice", scopes: ["mcp"] } : undefined;
          },
        },
      },
      logger,
    );
    expect((await post(h.url, INIT, { "x-api-key": ALICE })).status).toBe(200);
    expect((await post(h.url, INIT, { "x-api-key": "unknown-key" })).status).toBe(401);
    const failed = await post(h.url, INIT, { "x-api-key": "boom-key" });
    expect(failed.status).toBe(503);
    expect(failed.text).not.toContain("boom-key");
    expect((await post(h.url, INIT, { "x-api-key": "odd-key" })).status).toBe(503);
    expect(warnings).toEqual([
      {
        msg: "API key lookup failed",
        fields: {
          middleware: "auth",
          error: "the apiKeys.keys lookup failed: database rejected [REDACTED]",
        },
      },
      {
        msg: "API key lookup failed",
        fields: {
          middleware: "auth",
          error: "the apiKeys.keys lookup returned something other than { clientId, scopes }",
        },
      },
    ]);
  });

  it("serves metadata and points to it when a resource is configured", async () => {
    const h = await serve({
      apiKeys: { header: "authorization", keys: KEYS.keys },
      resource: "https://keys.example.test/mcp",
      authorizationServers: ["https://login.example.test/"],
      scopesSupported: ["mcp"],
    });
    const a = await post(h.url, INIT);
    expect(a.headers.get("www-authenticate")).toBe(
      'Bearer resource_metadata="https://keys.example.test/.well-known/oauth-protected-resource"',
    );
    const doc = await fetch(`${new URL(h.url).origin}/.well-known/oauth-protected-resource`);
    expect(await doc.json()).toEqual({
      resource: "https://keys.example.test/mcp",
      authorization_servers: ["https://login.example.test/"],
      scopes_supported: ["mcp"],
      bearer_methods_supported: ["header"],
    });
  });
});
