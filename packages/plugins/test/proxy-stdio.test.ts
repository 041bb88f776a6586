import { createTestClient, type TestClient } from "@mcpforge/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, mount, type ProxyApp } from "../src/index.js";
import {
  DEMO_MAIN,
  EVERYTHING_MAIN,
  eventually,
  FIXTURE_BACKEND,
  memoryLogger,
  testApp,
  tsNode,
} from "./helpers.js";

const fixtureTarget = {
  command: process.execPath,
  args: tsNode(FIXTURE_BACKEND),
  stderr: "ignore" as const,
};

function front(app: ProxyApp | ReturnType<typeof testApp>) {
  return createTestClient(app, {
    sampling: (p) => ({
      role: "assistant",
      content: {
        type: "text",
        text: `4 (asked: ${(p.messages[0]?.content as { text: string }).text})`,
      },
      model: "front-model",
    }),
    elicitation: () => ({ action: "accept", content: { ok: true } }),
    roots: [{ uri: "file:///workspace", name: "workspace" }],
  });
}

describe("createProxy(): a stdio backend (an MCP Forge fixture server)", () => {
  let proxy: ProxyApp;
  let client: TestClient;
  const log = memoryLogger();

  beforeAll(async () => {
    proxy = createProxy(fixtureTarget, {
      name: "fixture",
      logger: log,
      reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    });
    client = await front(proxy); // starts the proxy: it connects and fetches the lists
  });
  afterAll(async () => {
    await client?.close();
    await proxy?.close();
  });

  it("serves the backend's tools, resources, templates and prompts, forwarding every call", async () => {
    const tools = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("echo");
    expect(tools.find((t) => t.name === "echo")?.inputSchema).toMatchObject({
      type: "object",
      properties: { text: { type: "string" } },
      required: ["text"],
    });
    expect(await client.callTool("echo", { text: "through the proxy" })).toBe("through the proxy");
    expect((await client.listResources()).map((r) => r.uri).sort()).toEqual([
      "fixture://counter",
      "fixture://info",
    ]);
    expect(
      JSON.parse((await client.readResource("fixture://info")).contents[0]?.text as string),
    ).toEqual({
      backend: "fixture",
    });
    expect((await client.readResource("fixture://items/7")).contents[0]).toMatchObject({
      text: "item 7",
    });
    expect((await client.getPrompt("hello", { name: "Ada" })).messages[0]?.content).toEqual({
      type: "text",
      text: "Hello Ada",
    });
    expect(
      await client.complete(
        { type: "ref/resource", uri: "fixture://items/{id}" },
        { name: "id", value: "1" },
      ),
    ).toMatchObject({ values: ["1", "10"] });
    // the backend validates arguments and masks its own errors; results come back as they are
    const invalid = await client.callToolRaw("echo", { text: 5 });
    expect(invalid.isError).toBe(true);
    const failed = await client.callToolRaw("fail");
    expect(failed.isError).toBe(true);
    expect(JSON.stringify(failed.content)).not.toContain("backend secret");
    expect(proxy.backend.status()).toMatchObject({
      state: "connected",
      serverInfo: { name: "fixture-backend" },
    });
  });

  it("subscriptions reach the backend: its resources/updated reach the subscribed client", async () => {
    await client.client.subscribeResource({ uri: "fixture://counter" });
    await client.callTool("bump");
    await client.waitForNotification(
      "notifications/resources/updated",
      (n) => (n.params as { uri?: string })?.uri === "fixture://counter",
    );
    expect((await client.readResource("fixture://counter")).contents[0]).toMatchObject({
      text: "1",
    });
    await client.client.unsubscribeResource({ uri: "fixture://counter" });
    client.clearNotifications();
    await client.callTool("bump");
    await client.callTool("echo", { text: "after the update" });
    expect(
      client.notifications.filter((n) => n.method === "notifications/resources/updated"),
    ).toEqual([]);
  });

  it("forwarded calls go through the caller's outgoing wrappers (trace context in `_meta`)", async () => {
    const wrapped = createProxy(fixtureTarget, { name: "wrapped" });
    wrapped.use(async (ctx, next) => {
      ctx.wrapOutgoing((request, send) =>
        send({
          ...request,
          params: {
            ...request.params,
            _meta: {
              ...(request.params?._meta as object),
              traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            },
          },
        }),
      );
      return next();
    });
    await using c = await createTestClient(wrapped);
    try {
      const seen = await c.callTool<{ meta: Record<string, unknown> }>("meta");
      expect(seen.meta.traceparent).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    } finally {
      await wrapped.close();
    }
  });

  it("reuses one backend connection for every call, concurrent ones too", async () => {
    const pids = await Promise.all(
      Array.from({ length: 20 }, () => client.callTool<{ pid: number }>("pid")),
    );
    expect(new Set(pids.map((p) => p.pid)).size).toBe(1);
    expect(pids[0]?.pid).toBe(proxy.backend.status().pid);
  });

  it("forwards progress and log notifications of the call to the calling client", async () => {
    await client.setLogLevel("info");
    client.clearNotifications();
    const progress: unknown[] = [];
    expect(await client.callTool("work", {}, { onProgress: (p) => progress.push(p) })).toBe(
      "worked",
    );
    expect(progress).toEqual([
      { progress: 1, total: 2, message: "half" },
      { progress: 2, total: 2, message: "done" },
    ]);
    await eventually(() => expect(client.logs.map((l) => l.data)).toContain("working"));
    expect(client.logs.map((l) => l.data)).not.toContain("details"); // below the client's level
  });

  it("forwards sampling, elicitation and roots requests from the backend to the calling client", async () => {
    expect(await client.callTool("ask")).toBe("the model said: 4 (asked: What is 2+2?)");
    expect(await client.callTool("confirm")).toBe("ok=true");
    expect(await client.callTool("roots")).toBe("file:///workspace");
  });

  it("forwards cancellation to the backend", async () => {
    const before = (await client.callTool<{ cancelled: number }>("cancelled_count")).cancelled;
    const controller = new AbortController();
    const call = client.callTool("wait_for_cancel", {}, { signal: controller.signal });
    await eventually(() => expect(proxy.backend.status().inFlight).toBe(1));
    controller.abort("user pressed stop");
    await expect(call).rejects.toThrow();
    await eventually(async () =>
      expect((await client.callTool<{ cancelled: number }>("cancelled_count")).cancelled).toBe(
        before + 1,
      ),
    );
  });

  it("refreshes its lists when the backend announces a change; clients get list_changed", async () => {
    client.clearNotifications();
    expect(await client.callTool("add_tool", { name: "dynamic" })).toBe("added");
    await eventually(() => expect(client.listChanged).toContain("tools"));
    expect((await client.listTools()).map((t) => t.name)).toContain("dynamic");
    expect(await client.callTool("dynamic")).toBe("I am dynamic");
  });

  it("never sends one client's sampling request to another: with two clients in flight it is refused", async () => {
    let askedA = 0;
    const a = await createTestClient(proxy, {
      sampling: () => {
        askedA++;
        return { role: "assistant", content: { type: "text", text: "from A" }, model: "a" };
      },
    });
    try {
      const slow = a.callTool("sleep", { ms: 1500 }); // A has a call in flight
      await eventually(() => expect(proxy.backend.status().inFlight).toBe(1));
      const asked = await client.callToolRaw("ask"); // B's call makes the backend sample
      expect(asked.isError).toBe(true);
      expect(JSON.stringify(asked.content)).not.toContain("from A");
      expect(await slow).toBe("slept 1500");
      expect(askedA).toBe(0);
      // alone again, B's sampling request reaches B
      expect(await client.callTool("ask")).toBe("the model said: 4 (asked: What is 2+2?)");
    } finally {
      await a.close();
    }
  });

  it("when the backend dies: clear errors, then it reconnects with backoff", async () => {
    const { pid } = proxy.backend.status();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid as number, "SIGKILL");
    await eventually(() => expect(proxy.backend.status().state).not.toBe("connected"));
    const err = (await client.client
      .callTool({ name: "echo", arguments: { text: "x" } })
      .catch((e) => e)) as {
      code: number;
      message: string;
    };
    expect(err.code).toBe(-32010);
    expect(err.message).toMatch(/Backend "fixture" is unavailable/);
    await eventually(() => expect(proxy.backend.status().state).toBe("connected"), 15_000);
    const after = await client.callTool<{ pid: number }>("pid");
    expect(after.pid).not.toBe(pid);
    expect(
      log.lines.some((l) => l.level === "warn" && l.msg.includes('backend "fixture" disconnected')),
    ).toBe(true);
  });
});

describe("createProxy(): timeouts and an unreachable backend", () => {
  it("a call over the per-call timeout fails with `timeout` and is cancelled at the backend", async () => {
    const proxy = createProxy(fixtureTarget, {
      name: "slow",
      timeoutMs: 300,
      logger: memoryLogger(),
    });
    const client = await front(proxy);
    try {
      const err = (await client.client
        .callTool({ name: "sleep", arguments: { ms: 5000 } })
        .catch((e) => e)) as {
        code: number;
        message: string;
      };
      expect(err.code).toBe(-32008);
      expect(err.message).toContain('Backend "slow" did not answer tools/call within 300 ms');
      expect(await client.callTool("echo", { text: "still fine" })).toBe("still fine");
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it("fails to start with a clear error when the backend cannot be started; failFast: false keeps trying", async () => {
    const missing = {
      command: process.execPath,
      args: ["/nonexistent/server.js"],
      stderr: "ignore" as const,
    };
    const proxy = createProxy(missing, {
      name: "ghost",
      connectTimeoutMs: 5_000,
      logger: memoryLogger(),
    });
    await expect(proxy.start()).rejects.toThrow(
      /createProxy\(\): backend "ghost" cannot be reached: /,
    );

    const lenientLog = memoryLogger();
    const lenient = createProxy(missing, {
      name: "ghost2",
      failFast: false,
      connectTimeoutMs: 5_000,
      reconnect: { initialDelayMs: 50, maxDelayMs: 100, maxAttempts: 2 },
      logger: lenientLog,
    });
    const client = await createTestClient(lenient); // starts although the backend is missing
    expect(await client.listTools()).toEqual([]);
    expect(lenient.backend.status().state).not.toBe("connected");
    await eventually(() =>
      expect(
        lenientLog.lines.some((l) =>
          l.msg.includes('backend "ghost2": giving up after 2 attempts'),
        ),
      ).toBe(true),
    );
    await client.close();
    await lenient.close();
  });

  it("caches lists for listTtlMs: a quiet backend change shows after the TTL", async () => {
    const proxy = createProxy(fixtureTarget, {
      name: "ttl",
      listTtlMs: 1500,
      logger: memoryLogger(),
    });
    const client = await front(proxy);
    try {
      expect((await client.listTools()).map((t) => t.name)).toContain("echo");
      expect(await client.callTool("hide_echo")).toBe("hidden"); // no list_changed from the backend
      expect((await client.listTools()).map((t) => t.name)).toContain("echo"); // cached
      await eventually(async () =>
        expect((await client.listTools()).map((t) => t.name)).not.toContain("echo"),
      );
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it("checks its options", () => {
    expect(() => createProxy({} as never)).toThrow(/the target must be/);
    expect(() => createProxy(fixtureTarget, { timeoutMs: -1 })).toThrow(
      /timeoutMs must be a positive number/,
    );
    expect(() => createProxy(fixtureTarget, { reconnect: { maxAttempts: 0 } })).toThrow(
      /maxAttempts must be a positive integer/,
    );
    expect(() => createProxy(fixtureTarget, { tools: { rename: {} } as never })).toThrow(
      /tools\.rename is not an option/,
    );
  });
});

describe("a gateway: proxies to demo-basic and server-everything mounted under namespaces", () => {
  let gateway: ReturnType<typeof testApp>;
  let client: TestClient;

  beforeAll(async () => {
    gateway = testApp("gateway");
    const demo = createProxy(
      { command: process.execPath, args: tsNode(DEMO_MAIN), stderr: "ignore" },
      { name: "demo", logger: gateway.log },
    );
    const everything = createProxy(
      { command: process.execPath, args: [EVERYTHING_MAIN, "stdio"], stderr: "ignore" },
      { name: "everything", logger: gateway.log, tools: { exclude: { names: ["get-env"] } } },
    );
    mount(gateway, demo, { namespace: "demo" });
    mount(gateway, everything, { namespace: "everything", resourcePrefix: "everything" });
    client = await front(gateway); // starts the gateway, which starts both proxies
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
  });

  it("serves both backends' tools under their namespaces", async () => {
    const names = (await client.listTools()).map((t) => t.name);
    expect(names).toContain("demo_greet");
    expect(names).toContain("everything_echo");
    expect(names).not.toContain("everything_get-env"); // filtered out by a transform
    expect(await client.callTool("demo_greet", { name: "Ada" })).toMatch(/Ada/);
    expect(await client.callTool("everything_echo", { message: "hi" })).toBe("Echo: hi");
    expect(await client.callTool("everything_get-sum", { a: 2, b: 3 })).toMatch(/5/);
    const prime = await client.readResource("data://primes/10");
    expect(JSON.parse(prime.contents[0]?.text as string)).toMatchObject({ n: 10, prime: 29 });
  });

  it("forwards server-everything's sampling request through mount and proxy to the calling client", async () => {
    // server-everything registers this tool after initialize, then announces the change
    await eventually(async () =>
      expect((await client.listTools()).map((t) => t.name)).toContain(
        "everything_trigger-sampling-request",
      ),
    );
    const text = await client.callTool<string>("everything_trigger-sampling-request", {
      prompt: "2+2?",
      maxTokens: 5,
    });
    expect(text).toContain("front-model");
  });

  it("forwards progress from server-everything's long-running operation", async () => {
    const progress: { progress: number; total?: number }[] = [];
    await client.callTool(
      "everything_trigger-long-running-operation",
      { duration: 0.3, steps: 3 },
      { onProgress: (p) => progress.push(p) },
    );
    expect(progress.map((p) => [p.progress, p.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it("keeps server-everything's resources under a prefix", async () => {
    const uris = (await client.listResources()).map((r) => r.uri);
    expect(uris.length).toBeGreaterThan(0);
    expect(
      uris.every(
        (u) =>
          u.startsWith("demo") || /^[a-z]+:\/\/everything\//.test(u) || !u.includes("everything"),
      ),
    ).toBe(true);
    const everythingUri = uris.find((u) => u.includes("://everything/"));
    expect(everythingUri).toBeDefined();
    const read = await client.readResource(everythingUri as string);
    expect(read.contents.length).toBeGreaterThan(0);
  });
});
