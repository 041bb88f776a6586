import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, type ProxyOptions } from "../src/index.js";
import {
  DEMO_MAIN,
  eventually,
  FIXTURE_BACKEND,
  memoryLogger,
  startHttpChild,
  tsNode,
} from "./helpers.js";

/** The SDK client over Streamable HTTP, answering sampling requests. */
async function httpClient(url: string): Promise<Client & { end(): Promise<void> }> {
  const client = new Client(
    { name: "front", version: "1.0.0" },
    { capabilities: { sampling: {} } },
  );
  client.setRequestHandler(CreateMessageRequestSchema, () => ({
    role: "assistant",
    content: { type: "text", text: "sampled over http" },
    model: "m",
  }));
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return Object.assign(client, { end: () => transport.terminateSession() });
}

/** A backend over HTTP (a child process), a proxy in front of it served over HTTP, and a client. */
async function chain(script: string, options: ProxyOptions) {
  const backend = await startHttpChild(tsNode(script));
  const proxy = createProxy({ url: backend.url }, options);
  const front = await proxy.listen({ port: 0 });
  const client = await httpClient(front.url);
  return { backend, proxy, front, client };
}

/** Ends the client's session (DELETE: a cancelled call's stream stays open until then), stops all. */
async function stop(c: Awaited<ReturnType<typeof chain>> | undefined) {
  await c?.client.end();
  await c?.client.close();
  await c?.front.close();
  await c?.backend.kill();
}

function text(result: { content?: unknown }): string {
  return ((result.content as { text?: string }[])[0]?.text ?? "") as string;
}

describe("createProxy(): demo-basic over Streamable HTTP, the proxy served over HTTP", () => {
  let c: Awaited<ReturnType<typeof chain>>;
  const log = memoryLogger();

  beforeAll(async () => {
    c = await chain(DEMO_MAIN, {
      name: "demo-http",
      logger: log,
      reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    });
  });
  afterAll(() => stop(c));

  it("serves demo-basic's tools, templates and prompts through one backend session", async () => {
    const { tools } = await c.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(["greet", "calculate", "nth_prime"]),
    );
    const calc = await c.client.callTool({
      name: "calculate",
      arguments: { expression: "2 * (3 + 4)" },
    });
    expect(calc.structuredContent).toEqual({ expression: "2 * (3 + 4)", result: 14 });
    const profile = await c.client.readResource({ uri: "data://user_profiles/ada_l" });
    expect(JSON.parse((profile.contents[0] as { text: string }).text)).toMatchObject({
      name: "Ada Lovelace",
    });
    const missing = await c.client
      .readResource({ uri: "data://user_profiles/nobody" })
      .catch((e) => e);
    expect((missing as { code: number }).code).toBe(-32002); // the backend's error code passes through
    const prompt = await c.client.getPrompt({
      name: "code_review",
      arguments: { code: "x = 1", language: "python" },
    });
    expect(JSON.stringify(prompt.messages)).toContain("python");
    const completion = await c.client.complete({
      ref: { type: "ref/prompt", name: "code_review" },
      argument: { name: "language", value: "ty" },
    });
    expect(completion.completion.values).toEqual(["typescript"]);
    // calls in parallel share the backend session
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        c.client.callTool({ name: "greet", arguments: { name: `n${i}` } }),
      ),
    );
    expect(results.map(text).every((t, i) => t.includes(`n${i}`))).toBe(true);
  });

  it("when the backend goes down: clear errors; when it is back, the proxy reconnects", async () => {
    const port = c.backend.port;
    await c.backend.kill();
    const err = (await c.client
      .callTool({ name: "greet", arguments: { name: "x" } })
      .catch((e) => e)) as {
      code: number;
      message: string;
    };
    expect(err.code).toBe(-32010);
    expect(err.message).toMatch(/Backend "demo-http" is unavailable/);
    expect(err.message).not.toContain(String(port)); // no backend address in client-facing errors
    const again = (await c.client
      .callTool({ name: "greet", arguments: { name: "x" } })
      .catch((e) => e)) as {
      code: number;
    };
    expect(again.code).toBe(-32010);
    expect(c.proxy.backend.status().state).toBe("reconnecting");

    c.backend = await startHttpChild(tsNode(DEMO_MAIN), port); // back on the same address
    await eventually(() => expect(c.proxy.backend.status().state).toBe("connected"), 15_000);
    const ok = await c.client.callTool({ name: "greet", arguments: { name: "back" } });
    expect(text(ok)).toContain("back");
  });
});

describe("createProxy(): an HTTP backend with sampling and cancellation", () => {
  let c: Awaited<ReturnType<typeof chain>>;

  beforeAll(async () => {
    c = await chain(FIXTURE_BACKEND, { name: "fixture-http", logger: memoryLogger() });
  });
  afterAll(() => stop(c));

  it("forwards the backend's sampling request to the HTTP client in front", async () => {
    const r = await c.client.callTool({ name: "ask", arguments: {} });
    expect(text(r)).toBe("the model said: sampled over http");
  });

  it("forwards progress over HTTP", async () => {
    const progress: unknown[] = [];
    await c.client.callTool({ name: "work", arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    await eventually(() => expect(progress.length).toBeGreaterThanOrEqual(1));
  });

  it("forwards cancellation over HTTP", async () => {
    const count = async () =>
      (await c.client.callTool({ name: "cancelled_count", arguments: {} })).structuredContent as {
        cancelled: number;
      };
    const before = (await count()).cancelled;
    const controller = new AbortController();
    const call = c.client.callTool({ name: "wait_for_cancel", arguments: {} }, undefined, {
      signal: controller.signal,
    });
    await eventually(() => expect(c.proxy.backend.status().inFlight).toBe(1));
    controller.abort("stop");
    await expect(call).rejects.toThrow();
    await eventually(async () => expect((await count()).cancelled).toBe(before + 1));
  });
});

describe("createProxy(): forwarded calls on the lean request path, an HTTP backend", () => {
  it("a call over the per-call timeout fails with `timeout`, and the backend is told to cancel", async () => {
    const c = await chain(FIXTURE_BACKEND, {
      name: "slow-http",
      timeoutMs: 400,
      logger: memoryLogger(),
    });
    try {
      const count = async () =>
        (
          (await c.client.callTool({ name: "cancelled_count", arguments: {} }))
            .structuredContent as { cancelled: number }
        ).cancelled;
      const before = await count();
      const err = (await c.client
        .callTool({ name: "wait_for_cancel", arguments: {} })
        .catch((e) => e)) as { code: number; message: string };
      expect(err.code).toBe(-32008);
      expect(err.message).toContain('Backend "slow-http" did not answer tools/call within 400 ms');
      await eventually(async () => expect(await count()).toBe(before + 1));
      expect(c.proxy.backend.status()).toMatchObject({ state: "connected", inFlight: 0 });
    } finally {
      await stop(c);
    }
  });

  it("forwarded calls and the client's own list requests share the connection: no answer goes astray", async () => {
    const c = await chain(DEMO_MAIN, { name: "busy-http", logger: memoryLogger() });
    try {
      const calls = Array.from({ length: 30 }, (_, i) =>
        c.client.callTool({ name: "greet", arguments: { name: `n${i}` } }),
      );
      // list requests through the SDK client, on the same connection, while the calls run
      const refreshes = Array.from({ length: 5 }, () => c.proxy.backend.refresh());
      const [results] = await Promise.all([Promise.all(calls), Promise.all(refreshes)]);
      expect(results.map(text).every((t, i) => t.includes(`n${i}`) && !t.includes(`n${i}0`))).toBe(
        true,
      );
      const { tools } = await c.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["greet", "calculate"]));
      expect(c.proxy.backend.status()).toMatchObject({ state: "connected", inFlight: 0 });
    } finally {
      await stop(c);
    }
  });

  it("the backend dying during a call: a clear `unavailable` error at once, then a reconnect", async () => {
    const c = await chain(FIXTURE_BACKEND, {
      name: "dying-http",
      timeoutMs: 20_000,
      logger: memoryLogger(),
      reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    });
    try {
      const port = c.backend.port;
      const call = c.client
        .callTool({ name: "sleep", arguments: { ms: 10_000 } })
        .catch((e) => e) as Promise<{ code: number; message: string }>;
      await eventually(() => expect(c.proxy.backend.status().inFlight).toBe(1));
      await c.backend.kill();
      const err = await call;
      expect(err.code).toBe(-32010); // not the timeout: the connection failed
      expect(err.message).toMatch(
        /Backend "dying-http" is unavailable: the connection failed during tools\/call/,
      );
      await eventually(() => expect(c.proxy.backend.status().state).not.toBe("connected"));
      c.backend = await startHttpChild(tsNode(FIXTURE_BACKEND), port);
      await eventually(() => expect(c.proxy.backend.status().state).toBe("connected"), 15_000);
      const ok = await c.client.callTool({ name: "echo", arguments: { text: "back" } });
      expect(text(ok)).toBe("back");
    } finally {
      await stop(c);
    }
  });
});
