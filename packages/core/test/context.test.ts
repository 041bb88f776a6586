import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  type JSONRPCMessage,
  ListRootsRequestSchema,
  type McpError,
} from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  type Context,
  createServer,
  isMcpForgeError,
  type McpForgeApp,
  McpForgeError,
  type OutgoingWrapper,
} from "../src/index.js";
import { connect, until } from "./helpers.js";

/** Calls the `wait` tool, then cancels the call from the client once `started()` is true. */
async function cancelOnceStarted(app: McpForgeApp, started: () => boolean): Promise<void> {
  const { client } = await connect(app);
  const controller = new AbortController();
  const call = client.callTool({ name: "wait", arguments: {} }, undefined, {
    signal: controller.signal,
  });
  await until(started);
  controller.abort("user cancelled");
  await expect(call).rejects.toThrow();
}

describe("context", () => {
  it("sends log and progress notifications in order, echoing the progress token", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.tool("work", {}, async (_args, ctx) => {
      await ctx.log.info("start");
      await ctx.progress(0, 2, "begin");
      await ctx.log.debug({ step: 1 });
      await ctx.progress(1, 2);
      await ctx.progress(2, 2, "done");
      await ctx.log.warning("end", "worker");
      return "ok";
    });
    const { client, notifications } = await connect(app);
    const progress: unknown[] = [];
    await client.callTool({ name: "work", arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    expect(progress).toEqual([
      { progress: 0, total: 2, message: "begin" },
      { progress: 1, total: 2 },
      { progress: 2, total: 2, message: "done" },
    ]);
    expect(notifications.map((n) => n.params)).toEqual([
      { level: "info", data: "start" },
      { level: "debug", data: { step: 1 } },
      { level: "warning", data: "end", logger: "worker" },
    ]);
  });

  it("echoes a string progress token exactly and is a no-op without one", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.tool("p", {}, async (_a, ctx) => {
      await ctx.progress(5, 10);
      return "ok";
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const received: JSONRPCMessage[] = [];
    clientSide.onmessage = (m) => received.push(m);
    await clientSide.start();
    await app.connect(serverSide);
    const call = (id: number, meta?: { progressToken: string }) =>
      clientSide.send({
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: { name: "p", arguments: {}, ...(meta ? { _meta: meta } : {}) },
      });
    await call(1, { progressToken: "tok-1" });
    await call(2);
    await until(() => received.filter((m) => "result" in m).length === 2);
    const notes = received.filter((m) => "method" in m);
    expect(notes).toEqual([
      {
        jsonrpc: "2.0",
        method: "notifications/progress",
        params: { progressToken: "tok-1", progress: 5, total: 10 },
      },
    ]);
  });

  it("filters log notifications below the session's logging/setLevel", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.tool("logs", {}, async (_a, ctx) => {
      await ctx.log.debug("d");
      await ctx.log.info("i");
      await ctx.log.warning("w");
      await ctx.log.error("e");
      return "ok";
    });
    const { client, notifications } = await connect(app);
    expect(await client.setLoggingLevel("warning")).toEqual({});
    await client.callTool({ name: "logs", arguments: {} });
    expect(notifications.map((n) => (n.params as { data: string }).data)).toEqual(["w", "e"]);
    const err = await client.setLoggingLevel("loud" as never).catch((e: McpError) => e);
    expect((err as McpError).code).toBe(-32602);
  });

  it("round-trips sampling and elicitation through the client", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.tool("ask_llm", { input: { prompt: z.string() } }, async ({ prompt }, ctx) => {
      const r = await ctx.sample(prompt, { maxTokens: 50 });
      return `LLM said: ${(r.content as { text: string }).text}`;
    });
    app.tool("ask_user", {}, async (_a, ctx) => {
      const r = await ctx.elicit("Who are you?", z.object({ name: z.string(), age: z.number() }));
      return r.action === "accept" ? `hi ${r.content.name} (${r.content.age})` : r.action;
    });
    let seenSampling: unknown;
    let seenElicit: unknown;
    const { client } = await connect(app, {
      sampling: (p) => {
        seenSampling = p;
        return { role: "assistant", model: "m", content: { type: "text", text: "pong" } };
      },
      elicitation: (p) => {
        seenElicit = p;
        return { action: "accept", content: { name: "Ada", age: 36 } };
      },
    });
    const s = await client.callTool({ name: "ask_llm", arguments: { prompt: "ping" } });
    expect(s.content).toEqual([{ type: "text", text: "LLM said: pong" }]);
    expect(seenSampling).toMatchObject({
      maxTokens: 50,
      messages: [{ role: "user", content: { type: "text", text: "ping" } }],
    });
    const e = await client.callTool({ name: "ask_user", arguments: {} });
    expect(e.content).toEqual([{ type: "text", text: "hi Ada (36)" }]);
    expect(seenElicit).toMatchObject({
      message: "Who are you?",
      requestedSchema: { type: "object", required: ["name", "age"] },
    });
  });

  it("gives a clear isError result when the client lacks sampling or elicitation", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.tool("s", {}, (_a, ctx) => ctx.sample("x").then(() => "no"));
    app.tool("e", {}, (_a, ctx) => ctx.elicit("x", z.object({})).then(() => "no"));
    const { client } = await connect(app);
    const s = await client.callTool({ name: "s", arguments: {} });
    expect(s.isError).toBe(true);
    expect(JSON.stringify(s.content)).toContain('did not declare the \\"sampling\\" capability');
    const e = await client.callTool({ name: "e", arguments: {} });
    expect(JSON.stringify(e.content)).toContain("elicitation");
  });

  it("a failed ctx.sample() throws core's error class, never the SDK's McpError", async () => {
    const app = createServer({ name: "t", version: "1" });
    let seen: unknown;
    app.tool("s", {}, async (_a, ctx) => {
      try {
        await ctx.sample("x");
        return "no";
      } catch (err) {
        seen = err;
        return isMcpForgeError(err) ? `${err.kind} ${err.code}` : "other";
      }
    });
    const { client } = await connect(app, {
      sampling: () => {
        throw new Error("the user declined");
      },
    });
    const r = await client.callTool({ name: "s", arguments: {} });
    expect(r.content).toEqual([{ type: "text", text: "internal -32603" }]);
    expect(seen).toBeInstanceOf(McpForgeError);
    expect((seen as Error).message).toContain("the user declined");
  });

  it("lists roots, reads own resources, and exposes session and request ids", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.resource("config://app", { mimeType: "application/json" }, () => ({ debug: true }));
    app.tool("inspect", {}, async (_a, ctx) => {
      const roots = await ctx.roots();
      const { contents } = await ctx.readResource("config://app");
      const count = ((ctx.session.state.get("count") as number | undefined) ?? 0) + 1;
      ctx.session.state.set("count", count);
      return {
        roots: roots.map((r) => r.uri),
        config: (contents[0] as { text: string }).text,
        session: ctx.session.id,
        requestId: ctx.requestId,
        transport: ctx.transport,
        count,
      };
    });
    const { client } = await connect(app, { roots: [{ uri: "file:///work", name: "work" }] });
    const first = (await client.callTool({ name: "inspect", arguments: {} }))
      .structuredContent as Record<string, unknown>;
    const second = (await client.callTool({ name: "inspect", arguments: {} }))
      .structuredContent as Record<string, unknown>;
    expect(first).toMatchObject({
      roots: ["file:///work"],
      config: '{"debug":true}',
      transport: "memory",
      count: 1,
    });
    expect(second.count).toBe(2);
    expect(second.session).toBe(first.session);
    expect(typeof first.requestId).toBe("number");
    expect(second.requestId).not.toBe(first.requestId);
  });

  it("aborts the handler's signal when the client cancels", async () => {
    const app = createServer({ name: "t", version: "1" });
    let aborted = false;
    let started = false;
    app.tool("wait", {}, (_a, ctx) => {
      started = true;
      return new Promise((resolve) => {
        ctx.signal.addEventListener("abort", () => {
          aborted = true;
          resolve("cancelled");
        });
      });
    });
    await cancelOnceStarted(app, () => started);
    await until(() => aborted);
    expect(aborted).toBe(true);
  });

  it("onAbort: runs once with the client's reason when it cancels; stop() removes a listener", async () => {
    const app = createServer({ name: "t", version: "1" });
    const seen: unknown[] = [];
    let started = false;
    app.tool("wait", {}, (_a, ctx) => {
      started = true;
      const stop = ctx.onAbort(() => seen.push("stopped, never seen"));
      stop();
      return new Promise((resolve) => {
        ctx.onAbort((reason) => {
          seen.push(reason);
          resolve("cancelled");
        });
      });
    });
    await cancelOnceStarted(app, () => started);
    await until(() => seen.length > 0);
    expect(seen).toEqual(["user cancelled"]);
  });

  it("onAbort: also fires for a linked signal, and at once when the request already aborted", async () => {
    const app = createServer({ name: "t", version: "1" });
    const linked = new AbortController();
    app.use({
      onCallTool: (ctx, next) => {
        ctx.linkSignal(linked.signal);
        return next();
      },
    });
    app.tool("watch", {}, (_a, ctx) => {
      const reasons: unknown[] = [];
      ctx.onAbort((reason) => reasons.push(reason));
      linked.abort("time is up");
      ctx.onAbort((reason) => reasons.push(`late: ${String(reason)}`));
      return { reasons };
    });
    const { client } = await connect(app);
    const r = await client.callTool({ name: "watch", arguments: {} });
    expect(r.structuredContent).toEqual({ reasons: ["time is up", "late: time is up"] });
  });

  it("linkSignal: ctx.signal also aborts with a linked signal, created only when read", async () => {
    const app = createServer({ name: "t", version: "1" });
    let made = 0;
    const linked = new AbortController();
    app.use({
      onCallTool: (ctx, next) => {
        ctx.linkSignal(() => {
          made++;
          return linked.signal;
        });
        return next();
      },
    });
    app.tool("quiet", {}, () => "no signal read");
    let reason: unknown;
    app.tool("watch", {}, (_a, ctx) => {
      const signal = ctx.signal;
      expect(ctx.signal).toBe(signal);
      return new Promise((resolve) => {
        signal.addEventListener("abort", () => {
          reason = signal.reason;
          resolve("aborted");
        });
        linked.abort("time is up");
      });
    });
    const { client } = await connect(app);
    await client.callTool({ name: "quiet", arguments: {} });
    expect(made).toBe(0);
    const r = await client.callTool({ name: "watch", arguments: {} });
    expect(r.content).toEqual([{ type: "text", text: "aborted" }]);
    expect(made).toBe(1);
    expect(reason).toBe("time is up");
  });

  it("linkSignal refuses what is not a signal", async () => {
    const app = createServer({ name: "t", version: "1" });
    let message = "";
    app.tool("bad", {}, (_a, ctx) => {
      try {
        ctx.linkSignal("soon" as never);
      } catch (err) {
        message = (err as Error).message;
      }
      return "ok";
    });
    const { client } = await connect(app);
    await client.callTool({ name: "bad", arguments: {} });
    expect(message).toMatch(/needs an AbortSignal or a function/);
  });

  it("wrapOutgoing: wrappers see and change sampling, elicitation and roots requests, in order", async () => {
    const app = createServer({ name: "t", version: "1" });
    const seen: string[] = [];
    const tag =
      (name: string): OutgoingWrapper =>
      async (request, send) => {
        seen.push(`${name}>${request.method}`);
        const _meta = { ...(request.params?._meta as object | undefined), [`test.dev/${name}`]: 1 };
        const answer = await send({ ...request, params: { ...request.params, _meta } });
        seen.push(`${name}<${request.method}`);
        return answer;
      };
    app.use(async (ctx, next) => {
      ctx.wrapOutgoing(tag("outer"));
      ctx.wrapOutgoing(tag("inner"));
      return next();
    });
    app.tool("all", {}, async (_a, ctx) => {
      const s = await ctx.sample("ping");
      const e = await ctx.elicit("name?", z.object({ name: z.string() }));
      const roots = await ctx.roots();
      return [(s.content as { text: string }).text, e.action, roots.length].join(" ");
    });
    const metas: Record<string, unknown>[] = [];
    const { client } = await connect(app, {
      sampling: (p) => {
        metas.push((p as { _meta: Record<string, unknown> })._meta);
        return { role: "assistant", model: "m", content: { type: "text", text: "pong" } };
      },
      elicitation: (p) => {
        metas.push((p as { _meta: Record<string, unknown> })._meta);
        return { action: "accept", content: { name: "Ada" } };
      },
      roots: [{ uri: "file:///work" }],
    });
    client.setRequestHandler(ListRootsRequestSchema, (r) => {
      metas.push(r.params?._meta as Record<string, unknown>);
      return { roots: [{ uri: "file:///work" }] };
    });
    const r = await client.callTool({ name: "all", arguments: {} });
    expect(r.content).toEqual([{ type: "text", text: "pong accept 1" }]);
    const both = { "test.dev/outer": 1, "test.dev/inner": 1 };
    expect(metas).toEqual([both, both, both]);
    expect(seen).toEqual(
      ["sampling/createMessage", "elicitation/create", "roots/list"].flatMap((m) => [
        `outer>${m}`,
        `inner>${m}`,
        `inner<${m}`,
        `outer<${m}`,
      ]),
    );
  });

  it("outgoing: runs a custom send through the wrappers, or straight when there are none", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.use(async (ctx, next) => {
      if (ctx.params.name === "wrapped") {
        ctx.wrapOutgoing(async (request, send) => {
          const answer = (await send({
            ...request,
            params: { ...request.params, added: true },
          })) as string;
          return `${answer}!`;
        });
      }
      if (ctx.params.name === "twice")
        ctx.wrapOutgoing(async (r, send) => [await send(r), await send(r)]);
      return next();
    });
    const forward = (_a: unknown, ctx: Context) =>
      ctx.outgoing({ method: "tools/call", params: { name: "x" } }, async (r) => JSON.stringify(r));
    app.tool("wrapped", {}, forward);
    app.tool("plain", {}, forward);
    app.tool("twice", {}, (a, ctx) => forward(a, ctx).catch((err: Error) => err.message));
    const { client } = await connect(app);
    const text = async (name: string) =>
      ((await client.callTool({ name, arguments: {} })).content as { text: string }[])[0]?.text;
    expect(await text("wrapped")).toBe(
      '{"method":"tools/call","params":{"name":"x","added":true}}!',
    );
    expect(await text("plain")).toBe('{"method":"tools/call","params":{"name":"x"}}');
    expect(await text("twice")).toBe("send() called multiple times");
    let message = "";
    app.tool("bad", {}, (_a, ctx) => {
      try {
        ctx.wrapOutgoing("nope" as never);
      } catch (err) {
        message = (err as Error).message;
      }
      return "ok";
    });
    await client.callTool({ name: "bad", arguments: {} });
    expect(message).toMatch(/needs a function/);
  });
});
