import { McpForgeError } from "@mcpforge/core";
import { createTestClient } from "@mcpforge/testing";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { createPluginManager, definePlugin, mount } from "../src/index.js";
import { eventually, testApp } from "./helpers.js";

function weatherApp(order: string[] = []) {
  const child = testApp("weather");
  child.use({
    name: "weather-mw",
    onCallTool: async (ctx, next) => {
      order.push(`child ${String(ctx.params.name)}`);
      if (ctx.session.state.get("banned"))
        throw new McpForgeError("forbidden", "banned in weather");
      return next();
    },
  });
  child.tool(
    "forecast",
    {
      description: "Forecast for a city",
      input: { city: z.string(), units: z.enum(["c", "f"]).default("c") },
      tags: ["public"],
    },
    async ({ city, units }, ctx) => {
      await ctx.progress(1, 2, "looking");
      await ctx.log.info(`forecast for ${city}`);
      return `Sunny in ${city} (${units})`;
    },
  );
  child.tool("admin_reset", { description: "Resets", tags: ["admin"] }, () => "reset");
  child.tool("ask_user", { description: "Samples" }, async (_args, ctx) => {
    const r = await ctx.sample("Is it raining?");
    return (r.content as { text: string }).text;
  });
  child.resource(
    "weather://stations",
    { description: "Stations", mimeType: "application/json" },
    () => ({
      stations: ["OSL", "BER"],
    }),
  );
  child.resource(
    "weather://stations/{code}",
    {
      name: "station",
      params: { code: z.string().length(3) },
      complete: { code: (v) => ["OSL", "BER"].filter((c) => c.startsWith(v)) },
    },
    ({ code }) => `Station ${code}`,
  );
  child.prompt(
    "report",
    {
      args: { city: z.string() },
      complete: { city: (v) => ["Oslo", "Berlin"].filter((c) => c.startsWith(v)) },
    },
    ({ city }) => `Weather report for ${city}`,
  );
  return child;
}

describe("mount(): a child app served by a parent", () => {
  it("mirrors tools and prompts as namespace_name, keeps resource URIs, and serves them all", async () => {
    const parent = testApp();
    parent.tool("own", {}, () => "own");
    const handle = mount(parent, weatherApp(), { namespace: "weather" });
    const client = await createTestClient(parent, {
      sampling: () => ({
        role: "assistant",
        content: { type: "text", text: "no rain" },
        model: "m",
      }),
    });
    const tools = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      "own",
      "weather_forecast",
      "weather_admin_reset",
      "weather_ask_user",
    ]);
    expect(tools[1]?.description).toBe("Forecast for a city");
    expect(tools[1]?.inputSchema.required).toEqual(["city"]);
    expect(handle.names("tool")).toEqual([
      "weather_forecast",
      "weather_admin_reset",
      "weather_ask_user",
    ]);
    expect(await client.callTool("weather_forecast", { city: "Oslo" })).toBe("Sunny in Oslo (c)");
    // progress and logs of the child's handler reach the caller
    expect(client.progress.at(-1)).toEqual({
      progress: 1,
      total: 2,
      message: "looking",
    });
    await eventually(() =>
      expect(client.logs.some((l) => l.data === "forecast for Oslo")).toBe(true),
    );
    // sampling from the child reaches the caller
    expect(await client.callTool("weather_ask_user")).toBe("no rain");
    // the child validates its own arguments
    const bad = await client.callToolRaw("weather_forecast", { city: 1 });
    expect(bad.isError).toBe(true);
    expect((await client.listResources()).map((r) => r.uri)).toEqual(["weather://stations"]);
    expect((await client.readResource("weather://stations/OSL")).contents).toEqual([
      { uri: "weather://stations/OSL", mimeType: "text/plain", text: "Station OSL" },
    ]);
    expect(
      (await client.getPrompt("weather_report", { city: "Oslo" })).messages[0]?.content,
    ).toEqual({
      type: "text",
      text: "Weather report for Oslo",
    });
    expect(
      await client.complete(
        { type: "ref/prompt", name: "weather_report" },
        { name: "city", value: "B" },
      ),
    ).toMatchObject({
      values: ["Berlin"],
    });
    expect(
      await client.complete(
        { type: "ref/resource", uri: "weather://stations/{code}" },
        { name: "code", value: "O" },
      ),
    ).toMatchObject({ values: ["OSL"] });
  });

  it("runs the parent's middleware, then the child's, in the caller's session", async () => {
    const order: string[] = [];
    const parent = testApp();
    parent.use({
      onCallTool: async (ctx, next) => {
        order.push(
          `parent ${String(ctx.params.name)} tags=${[...(ctx.component?.tags ?? [])].join(",")}`,
        );
        if (
          ctx.params.name === "weather_forecast" &&
          (ctx.params.arguments as { city?: string })?.city === "Mordor"
        ) {
          ctx.session.state.set("banned", true);
        }
        return next();
      },
    });
    mount(parent, weatherApp(order), { namespace: "weather" });
    const client = await createTestClient(parent);
    await client.callTool("weather_forecast", { city: "Oslo" });
    expect(order).toEqual(["parent weather_forecast tags=public", "child forecast"]);
    // the child's middleware sees the caller's session state; its refusal stays a JSON-RPC error
    const refused = await client.client
      .callTool({ name: "weather_forecast", arguments: { city: "Mordor" } })
      .catch((e: { code: number; message: string }) => e);
    expect(refused).toMatchObject({ code: -32003 });
    expect((refused as Error).message).toContain("banned in weather");
  });

  it("is live: later registrations and removals in the child reach the parent's clients as list_changed", async () => {
    const parent = testApp();
    const child = weatherApp();
    mount(parent, child, { namespace: "weather" });
    const client = await createTestClient(parent);
    client.clearNotifications();
    child.tool("alerts", { description: "Alerts" }, () => "none");
    await eventually(() => expect(client.listChanged).toContain("tools"));
    expect((await client.listTools()).map((t) => t.name)).toContain("weather_alerts");
    expect(await client.callTool("weather_alerts")).toBe("none");

    client.clearNotifications();
    child.getTool("forecast")?.disable();
    child.getPrompt("report")?.remove();
    child.resource("weather://radar", {}, () => "radar");
    await eventually(() =>
      expect([...client.listChanged].sort()).toEqual(["prompts", "resources", "tools"]),
    );
    expect((await client.listTools()).map((t) => t.name)).not.toContain("weather_forecast");
    expect(await client.listPrompts()).toEqual([]);
    expect((await client.listResources()).map((r) => r.uri)).toContain("weather://radar");
  });

  it("a name collision is an error at mount time; later collisions are logged and skipped", () => {
    const parent = testApp();
    parent.tool("weather_forecast", {}, () => "mine");
    parent.resource("weather://stations", {}, () => "mine");
    expect(() => mount(parent, weatherApp(), { namespace: "weather" })).toThrow(
      '@mcpforge/plugins: mount(): namespace "weather": name collision: tool weather_forecast, resource weather://stations already registered',
    );
    expect(parent.components("tool").map((c) => c.key)).toEqual(["weather_forecast"]); // nothing mirrored
    const other = testApp();
    const child = weatherApp();
    mount(other, child, { namespace: "w" });
    other.tool("w_late", {}, () => "parent's");
    child.tool("late", {}, () => "child's");
    return eventually(() =>
      expect(
        other.log.lines.some((l) =>
          l.msg.includes("skipped tool w_late: the name is already registered"),
        ),
      ).toBe(true),
    );
  });

  it("resourcePrefix puts a prefix in resource URIs and templates, mapped back for reads and completions", async () => {
    const parent = testApp();
    mount(parent, weatherApp(), { namespace: "weather", resourcePrefix: "wx" });
    const client = await createTestClient(parent);
    expect((await client.listResources()).map((r) => r.uri)).toEqual(["weather://wx/stations"]);
    expect((await client.listResourceTemplates()).map((t) => t.uriTemplate)).toEqual([
      "weather://wx/stations/{code}",
    ]);
    expect((await client.readResource("weather://wx/stations/BER")).contents[0]).toMatchObject({
      text: "Station BER",
    });
    expect(
      JSON.parse((await client.readResource("weather://wx/stations")).contents[0]?.text as string),
    ).toEqual({
      stations: ["OSL", "BER"],
    });
    expect(
      await client.complete(
        { type: "ref/resource", uri: "weather://wx/stations/{code}" },
        { name: "code", value: "B" },
      ),
    ).toMatchObject({ values: ["BER"] });
  });

  it("subscriptions to a child's resource: the child's resources/updated reach the parent's client (prefixed)", async () => {
    const parent = testApp();
    const child = weatherApp();
    mount(parent, child, { namespace: "weather", resourcePrefix: "wx" });
    const client = await createTestClient(parent);
    await client.client.subscribeResource({ uri: "weather://wx/stations/BER" });
    child.notifyResourceUpdated("weather://stations/BER");
    await client.waitForNotification(
      "notifications/resources/updated",
      (n) => (n.params as { uri?: string })?.uri === "weather://wx/stations/BER",
    );
    client.clearNotifications();
    child.notifyResourceUpdated("weather://stations/OSL"); // nobody subscribed to OSL
    await client.client.unsubscribeResource({ uri: "weather://wx/stations/BER" });
    child.notifyResourceUpdated("weather://stations/BER");
    await client.listTools();
    expect(
      client.notifications.filter((n) => n.method === "notifications/resources/updated"),
    ).toEqual([]);
    await client.close();
  });

  it("tool transforms: filter by tag, rename, re-describe, hide an argument with a fixed value", async () => {
    const parent = testApp();
    mount(parent, weatherApp(), {
      namespace: "weather",
      tools: {
        exclude: { tags: ["admin"], names: ["ask_user"] },
        tools: {
          forecast: { name: "today", description: "Today's weather", hide: { units: "f" } },
        },
      },
    });
    const client = await createTestClient(parent);
    const tools = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["weather_today"]);
    expect(tools[0]?.description).toBe("Today's weather");
    expect(Object.keys(tools[0]?.inputSchema.properties ?? {})).toEqual(["city"]);
    expect(await client.callTool("weather_today", { city: "Oslo", units: "c" })).toBe(
      "Sunny in Oslo (f)",
    );
  });

  it("starts the child with the parent and closes it with the parent, or on unmount", async () => {
    const events: string[] = [];
    const parent = testApp();
    const child = weatherApp();
    child.onStart(() => {
      events.push("child start");
    });
    child.onClose(() => {
      events.push("child close");
    });
    const handle = mount(parent, child, { namespace: "weather" });
    expect(events).toEqual([]);
    const client = await createTestClient(parent);
    expect(events).toEqual(["child start"]);
    client.clearNotifications();
    await handle.unmount();
    expect(events).toEqual(["child start", "child close"]);
    await eventually(() => expect(client.listChanged).toContain("tools"));
    expect(await client.listTools()).toEqual([]);
    await parent.close();
    expect(events).toEqual(["child start", "child close"]); // closed once
  });

  it("a plugin can mount an app; unloading the plugin unmounts it", async () => {
    const parent = testApp();
    const plugins = createPluginManager(parent);
    plugins.use(
      definePlugin({
        name: "weather-plugin",
        version: "1.0.0",
        setup(api) {
          api.mount(weatherApp(), { namespace: "weather" });
        },
      }),
    );
    await plugins.load();
    const client = await createTestClient(parent);
    expect((await client.listTools()).length).toBe(3);
    expect(plugins.get("weather-plugin")?.registered.mounts).toEqual(["weather"]);
    await plugins.unload("weather-plugin");
    expect(await client.listTools()).toEqual([]);
  });

  it("checks its options", () => {
    const parent = testApp();
    expect(() => mount(parent, weatherApp(), { namespace: "bad ns" })).toThrow(
      /@mcpforge\/plugins: mount\(\): namespace must be/,
    );
    expect(() => mount(parent, weatherApp(), { namespace: "w", resourcePrefix: "a/b" })).toThrow(
      /resourcePrefix must be/,
    );
    expect(() => mount(parent, parent, { namespace: "self" })).toThrow(/into itself/);
    expect(() =>
      mount(parent, weatherApp(), { namespace: "w", tools: { only: [] } as never }),
    ).toThrow(/tools\.only is not an option/);
  });
});
