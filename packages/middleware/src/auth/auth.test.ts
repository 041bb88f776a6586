import { createServer } from "@mcpforge/core";
import { createTestClient, testMiddleware, textOf } from "@mcpforge/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { describe, expect, it } from "vitest";
import { refusal, silentLogger } from "../test-utils/fixtures.js";
import { auth } from "./auth.js";
import { requireScopes } from "./scopes.js";
import type { AuthOptions } from "./types.js";

const KEY = "contract-key-0123456789abcdef";
const keys: AuthOptions["apiKeys"] = { keys: { [KEY]: { clientId: "ci", scopes: ["mcp"] } } };

// In memory there are no headers: the contract runs with that transport explicitly allowed.
testMiddleware("auth (memory allowed)", () =>
  auth({ apiKeys: keys, allowUnauthenticatedTransports: ["memory"] }),
);
testMiddleware("auth (memory allowed, with scope rules)", () =>
  auth({
    apiKeys: keys,
    allowUnauthenticatedTransports: ["memory"],
    require: { tools: { echo: ["admin"] }, tags: { x: ["y"] }, prompts: { greet: ["admin"] } },
  }),
);

function appWith(options: AuthOptions) {
  const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(auth(options));
  app.tool("whoami", { description: "Caller" }, (_args, ctx) => {
    requireScopes(ctx, "anything");
    return `${ctx.var.principal.method}:${ctx.var.principal.clientId}`;
  });
  return app;
}

describe("auth() on transports without HTTP", () => {
  it("refuses every request by default (fail closed)", async () => {
    await using client = await createTestClient(appWith({ apiKeys: keys }));
    const err = await refusal(client.listTools());
    expect(err.code).toBe(-32001);
    expect(err.message).toContain(
      'auth() reads credentials from HTTP headers, so requests over the "memory" transport are refused',
    );
    expect((await refusal(client.callToolRaw("whoami", {}))).code).toBe(-32001);
    expect((await refusal(client.listPrompts())).code).toBe(-32001);
  });

  it("lets listed transports through with every scope", async () => {
    await using client = await createTestClient(
      appWith({ apiKeys: keys, allowUnauthenticatedTransports: ["memory"] }),
    );
    expect(textOf(await client.callToolRaw("whoami", {}))).toBe("transport:memory");
  });

  it("allows only the transports named (stdio here, not memory)", async () => {
    const app = appWith({ apiKeys: keys, allowUnauthenticatedTransports: ["stdio"] });
    const connect = async (transportName: string) => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await app.connect(serverSide, { transportName });
      const client = new Client({ name: "c", version: "1" });
      await client.connect(clientSide);
      return client;
    };
    const stdio = await connect("stdio");
    const result = await stdio.callTool({ name: "whoami", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "transport:stdio" }]);
    const memory = await connect("memory");
    expect((await refusal(memory.callTool({ name: "whoami", arguments: {} }))).code).toBe(-32001);
    await stdio.close();
    await memory.close();
  });

  it("requireScopes() without auth() refuses as unauthorized", async () => {
    const app = createServer({ name: "t", version: "1", logger: silentLogger });
    app.tool("guarded", { description: "Guarded" }, (_args, ctx) => {
      requireScopes(ctx, "admin");
      return "ok";
    });
    await using client = await createTestClient(app);
    const result = await client.callToolRaw("guarded", {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("Unauthorized: this request has no authenticated caller");
  });
});

describe("auth() options", () => {
  const jwt = {
    jwksUrl: "https://login.example.test/jwks.json",
    issuer: "https://login.example.test/",
    audience: "https://mcp.example.test/mcp",
  };
  const bad: [string, unknown, RegExp][] = [
    ["nothing configured", {}, /configure apiKeys, jwt, or both/],
    ["no options", undefined, /configure apiKeys, jwt, or both/],
    ["options not an object", "x", /options must be an object/],
    ["HS256", { jwt: { ...jwt, algorithms: ["HS256"] } }, /"HS256" is not allowed/],
    ["none", { jwt: { ...jwt, algorithms: ["none"] } }, /"none" is not allowed/],
    ["empty algorithms", { jwt: { ...jwt, algorithms: [] } }, /non-empty array/],
    [
      "clock tolerance",
      { jwt: { ...jwt, clockToleranceSec: 301 } },
      /clockToleranceSec must be .* from 0 to 300/,
    ],
    ["negative tolerance", { jwt: { ...jwt, clockToleranceSec: -1 } }, /clockToleranceSec/],
    ["http JWKS", { jwt: { ...jwt, jwksUrl: "http://login.example.test/jwks" } }, /must use https/],
    [
      "bad JWKS URL",
      { jwt: { ...jwt, jwksUrl: "not a url" } },
      /jwksUrl must be an absolute http\(s\) URL/,
    ],
    ["no issuer", { jwt: { ...jwt, issuer: "" } }, /jwt.issuer must be a non-empty string/],
    ["audience not a URL", { jwt: { ...jwt, audience: "api://mcp" } }, /set resource/],
    [
      "cache shorter than cooldown",
      { jwt: { ...jwt, jwksCooldownSec: 60, jwksCacheMaxAgeSec: 30 } },
      /at least/,
    ],
    ["scope with a space", { jwt: { ...jwt, requiredScopes: ["a b"] } }, /scope tokens/],
    ["scope with a quote", { require: { tools: { x: ['a"b'] } }, jwt }, /require.tools\["x"\]/],
    ["require not an object", { require: [], jwt }, /require must be an object/],
    [
      "short key",
      { apiKeys: { keys: { short: { clientId: "c", scopes: [] } } } },
      /shorter than 16/,
    ],
    ["no keys", { apiKeys: { keys: {} } }, /non-empty object/],
    ["bad principal", { apiKeys: { keys: { "0123456789abcdefg": { scopes: [] } } } }, /clientId/],
    [
      "bad header",
      {
        apiKeys: { header: "cookie", keys: { "0123456789abcdefg": { clientId: "c", scopes: [] } } },
      },
      /apiKeys.header/,
    ],
    ["http transport", { jwt, allowUnauthenticatedTransports: ["http"] }, /cannot hold "http"/],
    [
      "transports not array",
      { jwt, allowUnauthenticatedTransports: "stdio" },
      /array of transport names/,
    ],
    ["resource with fragment", { jwt, resource: "https://mcp.example.test/mcp#x" }, /fragment/],
    [
      "servers without resource",
      { apiKeys: keys, authorizationServers: ["https://a.example/"] },
      /need resource/,
    ],
  ];
  for (const [what, options, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => auth(options as AuthOptions)).toThrow(/^@mcpforge\/middleware: auth\(\): /);
      expect(() => auth(options as AuthOptions)).toThrow(message);
    });
  }

  it("accepts a minimal JWT or API key configuration, and an explicit resource", () => {
    expect(auth({ jwt }).name).toBe("auth");
    expect(auth({ apiKeys: keys }).name).toBe("auth");
    expect(
      auth({ jwt: { ...jwt, audience: "api://mcp" }, resource: "https://mcp.example.test/mcp" })
        .name,
    ).toBe("auth");
    expect(auth({ jwt: { ...jwt, jwksUrl: new URL("http://127.0.0.1:9/jwks") } }).name).toBe(
      "auth",
    );
  });
});
