import { createTestClient } from "@mcpforge/testing";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { createPluginManager, definePlugin, PluginError } from "../src/index.js";
import { eventually, testApp } from "./helpers.js";

const anyResult = z.looseObject({});

/** A plugin that records its lifecycle in `events`. */
function recorder(events: string[], name: string, dependsOn: string[] = []) {
  return definePlugin({
    name,
    version: "1.0.0",
    dependsOn,
    setup(api) {
      events.push(`setup ${name}`);
      api.tool(`${name}_tool`, { description: `a tool of ${name}` }, () => name);
      api.onStart(() => {
        events.push(`start ${name}`);
      });
      api.onClose(() => {
        events.push(`close ${name}`);
      });
      return () => {
        events.push(`teardown ${name}`);
      };
    },
  });
}

describe("plugin manager: order, lifecycle, teardown", () => {
  it("sets plugins up in dependency order and tears them down in reverse on app.close()", async () => {
    const app = testApp();
    const events: string[] = [];
    const plugins = createPluginManager(app);
    expect(createPluginManager(app)).toBe(plugins); // one manager per app
    plugins
      .use(recorder(events, "reports", ["database"]))
      .use(recorder(events, "database", ["secrets"]))
      .use(recorder(events, "secrets"));
    await plugins.load();
    expect(events).toEqual(["setup secrets", "setup database", "setup reports"]);
    const client = await createTestClient(app); // starts the app: onStart hooks run in order
    expect(events.slice(3)).toEqual(["start secrets", "start database", "start reports"]);
    expect((await client.listTools()).map((t) => t.name)).toEqual([
      "secrets_tool",
      "database_tool",
      "reports_tool",
    ]);
    events.length = 0;
    await client.close();
    await app.close();
    expect(events).toEqual([
      "teardown reports",
      "close reports",
      "teardown database",
      "close database",
      "teardown secrets",
      "close secrets",
    ]);
    expect(plugins.list().map((p) => p.state)).toEqual(["unloaded", "unloaded", "unloaded"]);
  });

  it("loads pending plugins when the app starts, without an explicit load()", async () => {
    const app = testApp();
    const events: string[] = [];
    createPluginManager(app).use(recorder(events, "solo"));
    const client = await createTestClient(app);
    expect(events).toEqual(["setup solo", "start solo"]);
    expect((await client.listTools()).map((t) => t.name)).toEqual(["solo_tool"]);
    await client.close();
  });

  it("a missing dependency and a cycle are errors naming the plugins", async () => {
    const events: string[] = [];
    const missing = createPluginManager(testApp()).use(recorder(events, "db", ["secrets"]));
    await expect(missing.load()).rejects.toThrow(
      '@mcpforge/plugins: plugin "db": depends on "secrets", which is not registered',
    );
    const cyclic = createPluginManager(testApp())
      .use(recorder(events, "a", ["b"]))
      .use(recorder(events, "b", ["a"]))
      .use(recorder(events, "c"));
    const err = (await cyclic.load().catch((e) => e)) as PluginError;
    expect(err).toBeInstanceOf(PluginError);
    expect(err.message).toContain('plugin "a": dependency cycle: a → b → a');
    expect(err.message).toContain('plugin "b": dependency cycle');
    expect(events).toEqual([]); // nothing was set up
    expect(cyclic.get("a")?.state).toBe("failed");
  });

  it("validates options with the plugin's schema: one error names the plugin and every bad field", async () => {
    const db = definePlugin({
      name: "database",
      version: "1.0.0",
      options: z.object({
        url: z.string().url(),
        maxRows: z.number().int().max(10_000).default(500),
      }),
      setup(api, options) {
        api.tool("db_options", {}, () => options);
      },
    });
    const bad = createPluginManager(testApp()).use(db, { url: "nope", maxRows: 20_000 });
    const err = (await bad.load().catch((e) => e)) as Error;
    expect(err.message).toMatch(
      /^@mcpforge\/plugins: plugin "database": invalid options: url: .+; maxRows: .+/,
    );
    const app = testApp();
    await createPluginManager(app).use(db, { url: "postgres://db/app" }).load();
    const client = await createTestClient(app);
    expect(await client.callTool("db_options")).toEqual({ url: "postgres://db/app", maxRows: 500 });
  });
});

describe("plugin manager: failures roll back", () => {
  const failing = () =>
    definePlugin({
      name: "flaky",
      version: "0.1.0",
      setup(api) {
        api.tool("flaky_tool", {}, () => "x");
        api.prompt("flaky_prompt", {}, () => "x");
        api.resource("flaky://r", {}, () => "x");
        api.method("com.flaky/m", {}, () => ({}));
        api.extension("com.flaky/ext");
        api.route("GET", "/flaky", (_req, res) => res.end("x"));
        api.use({ onCallTool: async () => ({ content: [{ type: "text", text: "hijacked" }] }) });
        api.onClose(() => {
          closed.push("flaky");
        });
        throw new Error("cannot connect to the database");
      },
    });
  const closed: string[] = [];

  it("a required plugin that throws stops loading; nothing it registered stays", async () => {
    const app = testApp();
    const plugins = createPluginManager(app);
    plugins.use(failing()).use(recorder([], "after"));
    const err = (await plugins.load().catch((e) => e)) as PluginError;
    expect(err.message).toBe(
      '@mcpforge/plugins: plugin "flaky": setup failed: cannot connect to the database',
    );
    expect(err.plugin).toBe("flaky");
    expect(closed).toEqual(["flaky"]); // its onClose hooks ran to free what it opened
    expect(plugins.get("flaky")).toMatchObject({ state: "failed", error: err.message });
    expect(plugins.get("after")?.state).toBe("pending"); // loading stopped
    for (const type of ["tool", "resource", "prompt"] as const)
      expect(app.components(type)).toEqual([]);
    expect(app.removeRoute("GET", "/flaky")).toBe(false);
    app.tool("mine", {}, () => "mine");
    const client = await createTestClient(app).catch((e) => e);
    // the app start loads "after" (still pending); "flaky" stays failed
    expect(plugins.get("after")?.state).toBe("loaded");
    expect(client.client.getServerCapabilities()?.extensions).toBeUndefined();
    expect(await client.callTool("mine")).toBe("mine"); // its middleware is gone too
    const method = await client.client
      .request({ method: "com.flaky/m" }, anyResult)
      .catch((e: Error) => e);
    expect((method as { code?: number }).code).toBe(-32601);
  });

  it("a plugin with required: false is logged and skipped; its dependants fail, others load", async () => {
    const app = testApp();
    const plugins = createPluginManager(app);
    plugins
      .use(failing(), undefined, { required: false })
      .use(recorder([], "needs_flaky", ["flaky"]), undefined, { required: false })
      .use(recorder([], "fine"));
    await plugins.load();
    expect(plugins.list().map((p) => [p.name, p.state])).toEqual([
      ["flaky", "failed"],
      ["needs_flaky", "failed"],
      ["fine", "loaded"],
    ]);
    expect(plugins.get("needs_flaky")?.error).toContain('depends on "flaky", which is failed');
    expect(
      app.log.lines.some(
        (l) => l.level === "warn" && l.msg.includes('plugin "flaky": setup failed'),
      ),
    ).toBe(true);
  });

  it("a plugin whose onStart fails (app already started) is rolled back", async () => {
    const app = testApp();
    await app.start();
    const plugins = createPluginManager(app);
    plugins.use(
      definePlugin({
        name: "late",
        version: "1",
        setup(api) {
          api.tool("late_tool", {}, () => "x");
          api.onStart(() => {
            throw new Error("warm-up failed");
          });
        },
      }),
    );
    await expect(plugins.load()).rejects.toThrow('plugin "late": onStart failed: warm-up failed');
    expect(app.components("tool")).toEqual([]);
  });
});

describe("plugin manager: unload and reload at runtime", () => {
  function counterPlugin() {
    return definePlugin({
      name: "counter",
      version: "2.0.0",
      options: z.object({ step: z.number().default(1) }),
      setup(api, { step }) {
        let n = 0;
        api.tool("count", { description: `counts by ${step}` }, () => {
          n += step;
          return n;
        });
        api.prompt("count_prompt", {}, () => "count!");
        api.resource("counter://value", {}, () => String(n));
      },
    });
  }

  it("unload removes everything and clients get list_changed; reload brings it back with new options", async () => {
    const app = testApp();
    const plugins = createPluginManager(app);
    plugins.use(counterPlugin(), { step: 1 });
    await plugins.load();
    const client = await createTestClient(app);
    expect(await client.callTool("count")).toBe(1);
    expect(plugins.get("counter")?.registered).toMatchObject({
      tools: ["count"],
      prompts: ["count_prompt"],
      resources: ["counter://value"],
    });

    client.clearNotifications();
    await plugins.unload("counter");
    await eventually(() =>
      expect([...client.listChanged].sort()).toEqual(["prompts", "resources", "tools"]),
    );
    expect(await client.listTools()).toEqual([]);
    expect(plugins.get("counter")).toMatchObject({ state: "unloaded", registered: { tools: [] } });

    client.clearNotifications();
    await plugins.reload("counter", { step: 10 });
    await eventually(() => expect(client.listChanged).toContain("tools"));
    expect((await client.listTools()).map((t) => t.description)).toEqual(["counts by 10"]);
    expect(await client.callTool("count")).toBe(10);
    await client.close();
  });

  it("unload refuses while dependants are loaded; cascade unloads them first; reload reloads them after", async () => {
    const app = testApp();
    const events: string[] = [];
    const plugins = createPluginManager(app);
    plugins
      .use(recorder(events, "base"))
      .use(recorder(events, "mid", ["base"]))
      .use(recorder(events, "top", ["mid"]))
      .use(recorder(events, "other"));
    await plugins.load();
    await app.start();
    await expect(plugins.unload("base")).rejects.toThrow(
      'plugin "base": cannot unload: "mid", "top" depend on it (unload them first, or pass { cascade: true })',
    );
    events.length = 0;
    await plugins.reload("base");
    expect(events).toEqual([
      "teardown top",
      "close top",
      "teardown mid",
      "close mid",
      "teardown base",
      "close base",
      "setup base",
      "start base",
      "setup mid",
      "start mid",
      "setup top",
      "start top",
    ]);
    events.length = 0;
    await plugins.unload("base", { cascade: true });
    expect(events.filter((e) => e.startsWith("teardown"))).toEqual([
      "teardown top",
      "teardown mid",
      "teardown base",
    ]);
    expect(plugins.list().map((p) => [p.name, p.state])).toEqual([
      ["base", "unloaded"],
      ["mid", "unloaded"],
      ["top", "unloaded"],
      ["other", "loaded"],
    ]);
    await expect(plugins.unload("base")).rejects.toThrow(
      'plugin "base": cannot unload: it is unloaded',
    );
    await expect(plugins.unload("nope")).rejects.toThrow('no plugin named "nope"');
  });

  it("a failed reload leaves the plugin failed and its components gone", async () => {
    const app = testApp();
    const plugins = createPluginManager(app);
    plugins.use(counterPlugin(), { step: 1 });
    await plugins.load();
    await expect(plugins.reload("counter", { step: "x" as never })).rejects.toThrow(
      'plugin "counter": invalid options: step:',
    );
    expect(plugins.get("counter")?.state).toBe("failed");
    expect(app.components("tool")).toEqual([]);
    await plugins.reload("counter", { step: 2 });
    expect(plugins.get("counter")?.state).toBe("loaded");
  });
});

describe("plugin API: middleware, routes, extensions, methods", () => {
  it("plugin middleware runs in plugin order where the manager sits, and goes away on unload", async () => {
    const app = testApp();
    const seen: string[] = [];
    app.use(async (ctx, next) => {
      seen.push(`app-before ${ctx.method}`);
      return next();
    });
    const plugins = createPluginManager(app);
    app.use(async (ctx, next) => {
      seen.push(`app-after ${ctx.method}`);
      return next();
    });
    const mw = (name: string, dependsOn: string[] = []) =>
      definePlugin({
        name,
        version: "1",
        dependsOn,
        setup(api) {
          api.use({
            onCallTool: async (_ctx, next) => {
              seen.push(name);
              return next();
            },
          });
        },
      });
    plugins.use(mw("second", ["first"])).use(mw("first"));
    app.tool("t", {}, () => "ok");
    await plugins.load();
    const client = await createTestClient(app);
    await client.callTool("t");
    expect(seen).toEqual(["app-before tools/call", "first", "second", "app-after tools/call"]);
    seen.length = 0;
    await plugins.unload("second");
    await client.callTool("t");
    expect(seen).toEqual(["app-before tools/call", "first", "app-after tools/call"]);
    seen.length = 0;
    await plugins.reload("second");
    await client.callTool("t");
    expect(seen).toEqual(["app-before tools/call", "first", "second", "app-after tools/call"]);
  });

  it("declares an extension and a custom method (through the middleware chain); both go on unload", async () => {
    const app = testApp();
    const seen: string[] = [];
    const plugins = createPluginManager(app);
    plugins.use(
      definePlugin({
        name: "com.acme.audit",
        version: "1.0.0",
        setup(api) {
          api.extension("com.acme/audit", { version: 1 });
          api.use({
            onRequest: async (ctx, next) => {
              seen.push(ctx.method);
              return next();
            },
          });
          api.method("com.acme/audit.log", { params: { n: z.number().int() } }, ({ n }) => ({
            entries: Array.from({ length: n }, (_, i) => `entry ${i}`),
          }));
        },
      }),
    );
    await plugins.load();
    const client = await createTestClient(app);
    expect(client.client.getServerCapabilities()?.extensions).toEqual({
      "com.acme/audit": { version: 1 },
    });
    expect(
      await client.client.request({ method: "com.acme/audit.log", params: { n: 2 } }, anyResult),
    ).toEqual({
      entries: ["entry 0", "entry 1"],
    });
    expect(seen).toEqual(["com.acme/audit.log"]);
    expect(plugins.get("com.acme.audit")?.registered).toMatchObject({
      methods: ["com.acme/audit.log"],
      extensions: ["com.acme/audit"],
      middleware: 1,
    });
    await plugins.unload("com.acme.audit");
    const gone = await client.client
      .request({ method: "com.acme/audit.log", params: { n: 1 } }, anyResult)
      .catch((e) => e);
    expect((gone as { code: number }).code).toBe(-32601);
    const fresh = await createTestClient(app);
    expect(fresh.client.getServerCapabilities()?.extensions).toBeUndefined();
  });

  it("HTTP routes and hooks of a plugin are served, refused across plugins, and removed on unload", async () => {
    const app = testApp();
    const plugins = createPluginManager(app);
    const routePlugin = (name: string) =>
      definePlugin({
        name,
        version: "1",
        setup(api) {
          api.route("GET", "/status", (_req, res) => res.end(`status from ${name}`));
          api.useHttp((req, res) => {
            if (req.headers["x-block"] === "yes") {
              res.writeHead(403).end("blocked by plugin");
              return true;
            }
            return undefined;
          });
        },
      });
    plugins.use(routePlugin("web")).use(routePlugin("web2"), undefined, { required: false });
    app.tool("t", {}, () => "ok");
    await plugins.load();
    expect(plugins.get("web2")?.error).toContain(
      'route GET /status is already registered by plugin "web"',
    );
    const http = await app.listen({ port: 0 });
    try {
      const base = http.url.replace(/\/mcp$/, "");
      expect(await (await fetch(`${base}/status`)).text()).toBe("status from web");
      // a blocked request (the plugin's HTTP hook answers 403) until the plugin is unloaded
      const initialize = () =>
        fetch(http.url, {
          method: "POST",
          headers: {
            "x-block": "yes",
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "initialize",
            params: {
              protocolVersion: "2025-11-25",
              capabilities: {},
              clientInfo: { name: "x", version: "1" },
            },
          }),
        });
      expect((await initialize()).status).toBe(403);
      await plugins.unload("web");
      expect((await fetch(`${base}/status`)).status).toBe(404);
      const open = await initialize();
      expect(open.status).toBe(200);
    } finally {
      await http.close();
    }
  });

  it("the plugin logger names the plugin; list() reports name, version, state and registrations", async () => {
    const app = testApp();
    const plugins = createPluginManager(app);
    plugins.use(
      definePlugin({
        name: "talker",
        version: "3.1.4",
        description: "talks",
        setup(api) {
          api.logger.info("hello", { x: 1 });
          api.tool("talk", {}, () => "hi");
        },
      }),
    );
    await plugins.load();
    expect(app.log.lines).toContainEqual({
      level: "info",
      msg: "hello",
      fields: { plugin: "talker", x: 1 },
    });
    expect(plugins.list()).toEqual([
      {
        name: "talker",
        version: "3.1.4",
        description: "talks",
        state: "loaded",
        required: true,
        dependsOn: [],
        registered: {
          tools: ["talk"],
          resources: [],
          prompts: [],
          methods: [],
          extensions: [],
          routes: [],
          middleware: 0,
          mounts: [],
        },
      },
    ]);
  });
});
