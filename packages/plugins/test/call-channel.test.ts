import {
  CallToolResultSchema,
  Client,
  type ClientTarget,
  createClientTransport,
  ErrorCode,
  GetPromptResultSchema,
  McpError,
} from "@mcpforge/core/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallChannel } from "../src/proxy/call-channel.js";
import { eventually, FIXTURE_BACKEND, type HttpChild, startHttpChild, tsNode } from "./helpers.js";

/** The fixture backend over HTTP, an SDK client on it, and a channel on the client's transport. */
async function connectChannel(target: ClientTarget) {
  const client = new Client({ name: "channel-test", version: "1.0.0" });
  const transport = createClientTransport(target);
  await client.connect(transport);
  const channel = new CallChannel(transport);
  // every message sent, by the client and by the channel (both send through the transport)
  const sent: { id?: unknown; method?: string; params?: Record<string, unknown> }[] = [];
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    sent.push(message as (typeof sent)[number]);
    return send(message, options);
  };
  const errors: Error[] = [];
  client.onerror = (err) => errors.push(err);
  return { client, transport, channel, sent, errors };
}

/** Runs `fn` with a connected channel, then closes the client. */
async function withChannel(
  target: ClientTarget,
  fn: (c: Awaited<ReturnType<typeof connectChannel>>) => Promise<void>,
): Promise<void> {
  const c = await connectChannel(target);
  try {
    await fn(c);
  } finally {
    await c.client.close();
  }
}

const text = (r: unknown) =>
  ((r as { content: { text: string }[] }).content[0]?.text ?? "") as string;
const echo = (channel: CallChannel, value: string, timeoutMs = 10_000) =>
  channel.request(
    "tools/call",
    { name: "echo", arguments: { text: value } },
    CallToolResultSchema,
    {
      timeoutMs,
    },
  );

describe("CallChannel: forwarded requests beside an SDK client on one connection", () => {
  let backend: HttpChild;

  beforeAll(async () => {
    backend = await startHttpChild(tsNode(FIXTURE_BACKEND));
  });
  afterAll(() => backend?.kill());

  it("its ids never meet the client's: interleaved requests each get their own answer", async () => {
    await withChannel({ url: backend.url }, async (c) => {
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) {
        work.push(echo(c.channel, `call ${i}`), c.client.listTools());
      }
      const results = await Promise.all(work);
      for (let i = 0; i < 20; i++) {
        expect(text(results[2 * i])).toBe(`call ${i}`);
        expect(
          (results[2 * i + 1] as { tools: { name: string }[] }).tools.map((t) => t.name),
        ).toContain("echo");
      }
      const ours = c.sent.filter((m) => m.method === "tools/call").map((m) => m.id);
      const theirs = c.sent.filter((m) => m.method === "tools/list").map((m) => m.id);
      expect(ours.every((id) => typeof id === "string" && id.startsWith("mcpforge-call-"))).toBe(
        true,
      );
      expect(new Set(ours).size).toBe(20);
      expect(theirs.every((id) => typeof id === "number")).toBe(true);
      expect(c.errors).toEqual([]); // no answer reached the client that it did not ask for
      expect(c.channel.size).toBe(0);
    });
  });

  it("a JSON-RPC error answer rejects with the SDK's McpError; a result failing the schema rejects", async () => {
    await withChannel({ url: backend.url }, async (c) => {
      const missing = await c.channel
        .request("prompts/get", { name: "nope" }, CallToolResultSchema, { timeoutMs: 10_000 })
        .catch((e) => e);
      expect(missing).toBeInstanceOf(McpError);
      expect((missing as McpError).code).toBe(ErrorCode.InvalidParams);
      const wrongShape = await c.channel
        .request("tools/list", {}, GetPromptResultSchema, { timeoutMs: 10_000 })
        .catch((e) => e);
      expect(wrongShape).toBeInstanceOf(Error);
      expect(c.channel.size).toBe(0);
    });
  });

  it("the timeout and an abort send notifications/cancelled and reject", async () => {
    await withChannel({ url: backend.url }, async (c) => {
      const timedOut = await c.channel
        .request("tools/call", { name: "wait_for_cancel", arguments: {} }, CallToolResultSchema, {
          timeoutMs: 200,
        })
        .catch((e) => e);
      expect(timedOut).toBeInstanceOf(McpError);
      expect(timedOut).toMatchObject({ code: ErrorCode.RequestTimeout, data: { timeout: 200 } });

      let abort: (reason: unknown) => void = () => {};
      let listening = 0;
      const aborted = c.channel
        .request("tools/call", { name: "wait_for_cancel", arguments: {} }, CallToolResultSchema, {
          timeoutMs: 10_000,
          onAbort: (listener) => {
            listening++;
            abort = listener;
            return () => {
              listening--;
            };
          },
        })
        .catch((e) => e);
      await eventually(() =>
        expect(c.sent.filter((m) => m.method === "tools/call").length).toBe(2),
      );
      abort("user pressed stop");
      expect(await aborted).toMatchObject({ code: ErrorCode.RequestTimeout });
      expect(String((await aborted) as Error)).toContain("user pressed stop");
      expect(listening).toBe(0); // it stopped listening once settled

      const calls = c.sent.filter((m) => m.method === "tools/call");
      const cancels = c.sent.filter((m) => m.method === "notifications/cancelled");
      expect(cancels.map((m) => m.params?.requestId)).toEqual(calls.map((m) => m.id));
      expect(String(cancels[1]?.params?.reason)).toBe("user pressed stop");
      // an abort that came first: rejected at once, nothing sent
      const early = await c.channel
        .request("tools/call", { name: "echo", arguments: { text: "x" } }, CallToolResultSchema, {
          timeoutMs: 10_000,
          onAbort: (listener) => {
            listener("already gone");
            return () => {};
          },
        })
        .catch((e) => e);
      expect(String(early)).toContain("already gone");
      expect(c.sent.filter((m) => m.method === "tools/call").length).toBe(2);
      // the backend saw both cancellations
      const count = await c.channel.request(
        "tools/call",
        { name: "cancelled_count", arguments: {} },
        CallToolResultSchema,
        { timeoutMs: 10_000 },
      );
      expect(
        (count as { structuredContent: { cancelled: number } }).structuredContent.cancelled,
      ).toBeGreaterThanOrEqual(2);
    });
  });

  it("the connection closing rejects what is pending with ConnectionClosed, and what comes after", async () => {
    // over stdio: closing ends the child, the transport closes under the pending request
    const c = await connectChannel({
      command: process.execPath,
      args: tsNode(FIXTURE_BACKEND),
      stderr: "ignore",
    });
    const pending = c.channel
      .request("tools/call", { name: "sleep", arguments: { ms: 5000 } }, CallToolResultSchema, {
        timeoutMs: 10_000,
      })
      .catch((e) => e);
    await eventually(() => expect(c.sent.some((m) => m.method === "tools/call")).toBe(true));
    let closed = false;
    c.client.onclose = () => {
      closed = true;
    };
    await c.client.close();
    expect(closed).toBe(true); // the client still hears its transport close
    expect(await pending).toMatchObject({ code: ErrorCode.ConnectionClosed });
    expect(await echo(c.channel, "late").catch((e) => e)).toMatchObject({
      code: ErrorCode.ConnectionClosed,
    });
  });
});
