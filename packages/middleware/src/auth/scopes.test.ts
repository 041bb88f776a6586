import { createServer, type HttpServerHandle } from "@mcpforge/core";
import { textOf } from "@mcpforge/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { refusal, silentLogger } from "../test-utils/fixtures.js";
import { auth } from "./auth.js";
import { requireScopes } from "./scopes.js";
import { call, post, request } from "./test-utils/mcp-http.js";
import type { AuthOptions } from "./types.js";

const READER = "reader-key-0123456789abcdef";
const ADMIN = "admin-key-0123456789abcdef";

const OPTIONS: AuthOptions = {
  apiKeys: {
    keys: {
      [READER]: { clientId: "reader", scopes: ["read"] },
      [ADMIN]: { clientId: "admin", scopes: ["read", "admin", "billing", "export"] },
    },
  },
  require: {
    tools: { delete_user: ["admin"] },
    tags: { billing: ["billing"], admin: ["admin"] },
    resources: { "config://secret": ["admin"], "users://{id}": ["admin"], vault: ["admin"] },
    prompts: { audit: ["admin"] },
  },
};

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function serve(): Promise<HttpServerHandle> {
  const app = createServer({ name: "scoped", version: "1.0.0", pageSize: 2, logger: silentLogger });
  // Registered before auth(): auth reads tags from core, so it is covered like the others.
  app.tool("early", { description: "Registered first" }, () => "early");
  app.use(auth(OPTIONS));
  app.tool("search", { description: "Searches" }, () => "found");
  app.tool("delete_user", { description: "Deletes a user" }, () => "deleted");
  app.tool("invoice", { description: "Bills", tags: ["billing"] }, () => "billed");
  app.tool("reset", { description: "Resets", tags: ["admin", "ops"] }, () => "reset");
  app.tool("echo", { description: "Echoes", input: { text: z.string() } }, ({ text }) => text);
  app.tool("export", { description: "Exports, checking in the handler" }, (_args, ctx) => {
    requireScopes(ctx, "export");
    return "exported";
  });
  app.resource("config://public", { description: "Public" }, () => "public");
  app.resource("config://secret", { description: "Secret" }, () => "secret");
  app.resource("vault://main", { name: "vault", description: "Named" }, () => "vault");
  app.resource("ledger://main", { description: "Tagged", tags: ["billing"] }, () => "ledger");
  app.resource("users://{id}", { description: "Users" }, ({ id }) => `user ${String(id)}`);
  app.resource("docs://{page}", { description: "Docs" }, ({ page }) => `page ${String(page)}`);
  app.prompt("greet", { description: "Greets" }, () => "hello");
  app.prompt(
    "audit",
    { description: "Audits", args: { scope: z.string() }, complete: { scope: () => ["all"] } },
    () => "audit",
  );
  app.prompt("billing_report", { description: "Reports", tags: ["billing"] }, () => "report");
  const h = await app.listen({ port: 0 });
  cleanup.push(() => h.close());
  return h;
}

async function connect(h: HttpServerHandle, key: string): Promise<Client> {
  const client = new Client({ name: "sdk", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(h.url), {
      requestInit: { headers: { "x-api-key": key } },
    }),
  );
  cleanup.push(() => client.close());
  return client;
}

/** Every page of a list: the names on each page and whether a cursor followed it. */
async function pages(
  list: (
    cursor?: string,
  ) => Promise<{ nextCursor?: string | undefined; items: { name: string }[] }>,
): Promise<string[][]> {
  const out: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    out.push(page.items.map((i) => i.name));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

describe("auth() scope requirements", () => {
  it("filters each page of tools/list to what the caller may call", async () => {
    const h = await serve();
    const reader = await connect(h, READER);
    const admin = await connect(h, ADMIN);
    const tools = (c: Client) =>
      pages(async (cursor) => {
        const r = await c.listTools(cursor ? { cursor } : {});
        return { nextCursor: r.nextCursor, items: r.tools };
      });
    // Pages of 2: [early, search] [delete_user, invoice] [reset, echo] [export].
    expect(await tools(reader)).toEqual([["early", "search"], [], ["echo"], ["export"]]);
    expect(await tools(admin)).toEqual([
      ["early", "search"],
      ["delete_user", "invoice"],
      ["reset", "echo"],
      ["export"],
    ]);
  });

  it("refuses calls to tools the caller may not use, naming the missing scope", async () => {
    const h = await serve();
    const reader = await connect(h, READER);
    const byName = await refusal(reader.callTool({ name: "delete_user", arguments: {} }));
    expect(byName.code).toBe(-32003);
    expect(byName.message).toContain(
      'Forbidden: tool "delete_user" requires the scope "admin", which the caller does not have',
    );
    expect(byName.data).toEqual({ missingScopes: ["admin"] });
    const byTag = await refusal(reader.callTool({ name: "invoice", arguments: {} }));
    expect(byTag.message).toContain('requires the scope "billing"');
    const both = await refusal(reader.callTool({ name: "reset", arguments: {} }));
    expect(both.message).toContain('requires the scope "admin"');
    expect(textOf((await reader.callTool({ name: "search", arguments: {} })) as never)).toBe(
      "found",
    );
    // Not listed (unknown tags) but its call is checked with the tags core resolves: allowed.
    expect(textOf((await reader.callTool({ name: "early", arguments: {} })) as never)).toBe(
      "early",
    );

    const admin = await connect(h, ADMIN);
    for (const [name, text] of [
      ["delete_user", "deleted"],
      ["invoice", "billed"],
      ["reset", "reset"],
    ]) {
      expect(textOf((await admin.callTool({ name: name as string, arguments: {} })) as never)).toBe(
        text,
      );
    }
  });

  it("requireScopes() refuses inside a handler (an isError result for tools)", async () => {
    const h = await serve();
    const reader = await connect(h, READER);
    const result = (await reader.callTool({ name: "export", arguments: {} })) as never as {
      isError?: boolean;
      content: unknown;
    };
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'Forbidden: this operation requires the scope "export", which the caller does not have',
    );
    const admin = await connect(h, ADMIN);
    expect(textOf((await admin.callTool({ name: "export", arguments: {} })) as never)).toBe(
      "exported",
    );
  });

  it("filters and guards resources, resource templates and prompts", async () => {
    const h = await serve();
    const reader = await connect(h, READER);
    const admin = await connect(h, ADMIN);
    const resources = async (c: Client) => {
      const all: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await c.listResources(cursor ? { cursor } : {});
        all.push(...r.resources.map((x) => x.uri));
        cursor = r.nextCursor;
      } while (cursor);
      return all;
    };
    expect(await resources(reader)).toEqual(["config://public"]);
    expect(await resources(admin)).toEqual([
      "config://public",
      "config://secret",
      "vault://main",
      "ledger://main",
    ]);
    const templates = async (c: Client) =>
      (
        await pages(async (cursor) => {
          const r = await c.listResourceTemplates(cursor ? { cursor } : {});
          return {
            nextCursor: r.nextCursor,
            items: r.resourceTemplates.map((t) => ({ name: t.uriTemplate })),
          };
        })
      ).flat();
    expect(await templates(reader)).toEqual(["docs://{page}"]);
    expect(await templates(admin)).toEqual(["users://{id}", "docs://{page}"]);
    const prompts = async (c: Client) =>
      (
        await pages(async (cursor) => {
          const r = await c.listPrompts(cursor ? { cursor } : {});
          return { nextCursor: r.nextCursor, items: r.prompts };
        })
      ).flat();
    expect(await prompts(reader)).toEqual(["greet"]);
    expect(await prompts(admin)).toEqual(["greet", "audit", "billing_report"]);

    for (const uri of ["config://secret", "vault://main", "ledger://main", "users://7"]) {
      const err = await refusal(reader.readResource({ uri }));
      expect(err.code).toBe(-32003);
      expect(err.message).toMatch(/requires the scope "(admin|billing)"/);
    }
    expect((await reader.readResource({ uri: "docs://intro" })).contents[0]).toMatchObject({
      text: "page intro",
    });
    expect((await admin.readResource({ uri: "users://7" })).contents[0]).toMatchObject({
      text: "user 7",
    });
    expect(
      (await refusal(reader.getPrompt({ name: "audit", arguments: { scope: "x" } }))).code,
    ).toBe(-32003);
    expect((await refusal(reader.getPrompt({ name: "billing_report" }))).message).toContain(
      '"billing"',
    );
    expect(
      (await admin.getPrompt({ name: "audit", arguments: { scope: "x" } })).messages,
    ).toHaveLength(1);

    // Completions and subscriptions of guarded components are refused too.
    const complete = reader.complete({
      ref: { type: "ref/prompt", name: "audit" },
      argument: { name: "scope", value: "a" },
    });
    expect((await refusal(complete)).code).toBe(-32003);
    expect(
      (
        await admin.complete({
          ref: { type: "ref/prompt", name: "audit" },
          argument: { name: "scope", value: "a" },
        })
      ).completion.values,
    ).toEqual(["all"]);
    expect((await refusal(reader.subscribeResource({ uri: "users://7" }))).code).toBe(-32003);
    expect(await admin.subscribeResource({ uri: "users://7" })).toEqual({});
  });

  it("adds an insufficient_scope challenge to refused HTTP answers", async () => {
    const h = await serve();
    const headers = { "x-api-key": READER };
    const init = await post(
      h.url,
      request(1, "initialize", {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "raw", version: "1" },
      }),
      headers,
    );
    const sid = init.headers.get("mcp-session-id") as string;
    const a = await post(h.url, call(2, "delete_user"), { ...headers, "mcp-session-id": sid });
    expect(a.status).toBe(200);
    expect(a.message?.error?.code).toBe(-32003);
    expect(a.headers.get("www-authenticate")).toBe(
      'ApiKey error="insufficient_scope", scope="admin", error_description="The access token lacks a required scope"',
    );
    expect(a.text).not.toContain(READER);
  });
});
