import { spawn } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import type { HttpServerHandle } from "@mcpforge/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError, ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createConformanceServer } from "../src/server.js";

const PROTOCOL = "2025-11-25";

/** Every name CONFORMANCE.md asks for, written out here independently of the server module. */
const TOOLS = [
  "test_simple_text",
  "test_image_content",
  "test_audio_content",
  "test_embedded_resource",
  "test_multiple_content_types",
  "test_tool_with_logging",
  "test_tool_with_progress",
  "test_error_handling",
  "test_sampling",
  "test_elicitation",
  "test_elicitation_sep1034_defaults",
  "test_elicitation_sep1330_enums",
  "json_schema_2020_12_tool",
  "test_reconnection",
];
const RESOURCES = ["test://static-text", "test://static-binary", "test://watched-resource"];
const TEMPLATES = ["test://template/{id}/data"];
const PROMPTS = [
  "test_simple_prompt",
  "test_prompt_with_arguments",
  "test_prompt_with_embedded_resource",
  "test_prompt_with_image",
];

let http: HttpServerHandle;
const clients: Client[] = [];

beforeAll(async () => {
  http = await createConformanceServer({ watchIntervalMs: 100 }).listen({
    host: "127.0.0.1",
    port: 0,
    mode: "stateful",
  });
});

afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await http?.close();
});

async function connect(): Promise<Client> {
  const client = new Client(
    { name: "conformance-features-test", version: "1.0.0" },
    { capabilities: { sampling: {}, elicitation: {} } },
  );
  clients.push(client);
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  return client;
}

// ---- raw HTTP helpers ------------------------------------------------------------------------

interface SseEvent {
  id?: string;
  event?: string;
  retry?: number;
  data: string;
}

/** Reads SSE events from a response body until it ends (or `stop` returns true). */
async function readSse(
  res: Response,
  stop: (event: SseEvent, all: SseEvent[]) => boolean = () => false,
): Promise<{ events: SseEvent[]; ended: boolean }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { events, ended: true };
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
    let cut = buffer.indexOf("\n\n");
    while (cut !== -1) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      cut = buffer.indexOf("\n\n");
      const event: SseEvent = { data: "" };
      const data: string[] = [];
      let fields = 0;
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue; // comment (keep-alive)
        const colon = line.indexOf(":");
        const name = colon === -1 ? line : line.slice(0, colon);
        let val = colon === -1 ? "" : line.slice(colon + 1);
        if (val.startsWith(" ")) val = val.slice(1);
        fields++;
        if (name === "id") event.id = val;
        else if (name === "event") event.event = val;
        else if (name === "retry") event.retry = Number(val);
        else if (name === "data") data.push(val);
      }
      if (fields === 0) continue;
      event.data = data.join("\n");
      events.push(event);
      if (stop(event, events)) {
        await reader.cancel();
        return { events, ended: false };
      }
    }
  }
}

function messageOf(event: SseEvent): Record<string, unknown> | undefined {
  return event.data === "" ? undefined : (JSON.parse(event.data) as Record<string, unknown>);
}

function post(body: unknown, session?: string, protocol = PROTOCOL): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": protocol,
  };
  if (session) headers["mcp-session-id"] = session;
  return fetch(http.url, { method: "POST", headers, body: JSON.stringify(body) });
}

/** The JSON-RPC response to request `id`, from a JSON body or an SSE stream. */
async function responseOf(res: Response, id: number): Promise<Record<string, unknown>> {
  if ((res.headers.get("content-type") ?? "").startsWith("application/json")) {
    return (await res.json()) as Record<string, unknown>;
  }
  const { events } = await readSse(res, (e) => messageOf(e)?.id === id);
  const found = events.map(messageOf).find((m) => m?.id === id);
  if (!found) throw new Error(`no response to request ${id} on the SSE stream`);
  return found;
}

/** Opens a raw session at protocol 2025-11-25; returns its id. */
async function rawSession(): Promise<string> {
  const res = await post({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: {
      protocolVersion: PROTOCOL,
      capabilities: {},
      clientInfo: { name: "raw-test", version: "1.0.0" },
    },
  });
  expect(res.status).toBe(200);
  const session = res.headers.get("mcp-session-id");
  expect(session).toBeTruthy();
  const init = await responseOf(res, 0);
  expect(init.result).toMatchObject({ protocolVersion: PROTOCOL });
  const ack = await post(
    { jsonrpc: "2.0", method: "notifications/initialized" },
    session as string,
  );
  expect(ack.status).toBe(202);
  return session as string;
}

async function closeRawSession(session: string): Promise<void> {
  await fetch(http.url, {
    method: "DELETE",
    headers: { "mcp-session-id": session, "mcp-protocol-version": PROTOCOL },
  });
}

// ---- tests -----------------------------------------------------------------------------------

describe("inventory", () => {
  it("lists every tool CONFORMANCE.md names, each with a description and an input schema", async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(
      TOOLS.filter((n) => !names.includes(n)),
      "missing tools",
    ).toEqual([]);
    for (const tool of tools) {
      expect(tool.description ?? "", tool.name).toMatch(/\S/);
      expect(tool.inputSchema, tool.name).toMatchObject({ type: "object" });
      expect(tool.outputSchema, `${tool.name} declares no outputSchema`).toBeUndefined();
    }
  });

  it("serves the JSON Schema 2020-12 input schema verbatim", async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === "json_schema_2020_12_tool");
    expect(tool?.description).toBe("Tool with JSON Schema 2020-12 features");
    expect(tool?.inputSchema).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: {
        address: {
          type: "object",
          properties: { street: { type: "string" }, city: { type: "string" } },
        },
      },
      properties: {
        name: { type: "string" },
        address: { $ref: "#/$defs/address" },
      },
      additionalProperties: false,
    });
    const ok = await client.callTool({
      name: "json_schema_2020_12_tool",
      arguments: { name: "Ada", address: { street: "1 Main St", city: "Springfield" } },
    });
    expect(ok.isError).toBeFalsy();
    const bad = await client.callTool({
      name: "json_schema_2020_12_tool",
      arguments: { name: "Ada", extra: true },
    });
    expect(bad.isError, "additionalProperties: false is enforced").toBe(true);
  });

  it("lists every resource with a name, description and mimeType, and the template separately", async () => {
    const client = await connect();
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(
      RESOURCES.filter((u) => !uris.includes(u)),
      "missing resources",
    ).toEqual([]);
    for (const r of resources) {
      expect(r.name ?? "", r.uri).toMatch(/\S/);
      expect(r.description ?? "", r.uri).toMatch(/\S/);
      expect(r.mimeType ?? "", r.uri).toMatch(/\S/);
      expect(r.uri, "templates stay out of resources/list").not.toContain("{");
    }
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(TEMPLATES);
    const read = await client.readResource({ uri: "test://template/123/data" });
    expect(read.contents).toEqual([
      {
        uri: "test://template/123/data",
        mimeType: "application/json",
        text: '{"id":"123","templateTest":true,"data":"Data for ID: 123"}',
      },
    ]);
  });

  it("lists every prompt with a description and required arguments", async () => {
    const client = await connect();
    const { prompts } = await client.listPrompts();
    const names = prompts.map((p) => p.name);
    expect(
      PROMPTS.filter((n) => !names.includes(n)),
      "missing prompts",
    ).toEqual([]);
    for (const p of prompts) expect(p.description ?? "", p.name).toMatch(/\S/);
    const withArgs = prompts.find((p) => p.name === "test_prompt_with_arguments");
    expect(withArgs?.arguments).toEqual([
      expect.objectContaining({ name: "arg1", required: true }),
      expect.objectContaining({ name: "arg2", required: true }),
    ]);
    const embedded = prompts.find((p) => p.name === "test_prompt_with_embedded_resource");
    expect(embedded?.arguments).toEqual([
      expect.objectContaining({ name: "resourceUri", required: true }),
    ]);
  });
});

describe("test_error_handling", () => {
  it("returns an isError result from the real tool, not a JSON-RPC error", async () => {
    const client = await connect();
    const result = await client.callTool({ name: "test_error_handling" });
    expect(result).toEqual({
      isError: true,
      content: [{ type: "text", text: "This tool intentionally returns an error for testing" }],
    });
  });

  it("answers an unknown tool with a JSON-RPC error, so the scenario cannot pass by accident", async () => {
    const client = await connect();
    await expect(client.callTool({ name: "no_such_tool" })).rejects.toBeInstanceOf(McpError);
  });
});

describe("resource subscriptions", () => {
  it("delivers notifications/resources/updated for test://watched-resource on the GET stream", async () => {
    const session = await rawSession();
    try {
      const get = await fetch(http.url, {
        headers: {
          accept: "text/event-stream",
          "mcp-session-id": session,
          "mcp-protocol-version": PROTOCOL,
        },
        signal: AbortSignal.timeout(5000),
      });
      expect(get.status).toBe(200);
      expect(get.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const sub = await post(
        {
          jsonrpc: "2.0",
          id: 1,
          method: "resources/subscribe",
          params: { uri: "test://watched-resource" },
        },
        session,
      );
      expect(sub.status).toBe(200);
      expect(await responseOf(sub, 1)).toEqual({ jsonrpc: "2.0", id: 1, result: {} });
      const { events } = await readSse(
        get,
        (e) => messageOf(e)?.method === "notifications/resources/updated",
      );
      const update = events
        .map(messageOf)
        .find((m) => m?.method === "notifications/resources/updated");
      expect(update).toEqual({
        jsonrpc: "2.0",
        method: "notifications/resources/updated",
        params: { uri: "test://watched-resource" },
      });
    } finally {
      await closeRawSession(session);
    }
  });

  it("lets an SDK client subscribe, hear updates, read new content and unsubscribe", async () => {
    const client = await connect();
    const before = await client.readResource({ uri: "test://watched-resource" });
    const updated = new Promise<string>((resolve) => {
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) =>
        resolve(n.params.uri),
      );
    });
    expect(await client.subscribeResource({ uri: "test://watched-resource" })).toEqual({});
    expect(await updated).toBe("test://watched-resource");
    const after = await client.readResource({ uri: "test://watched-resource" });
    expect(after.contents[0]).toMatchObject({ mimeType: "text/plain" });
    expect((after.contents[0] as { text: string }).text).not.toBe(
      (before.contents[0] as { text: string }).text,
    );
    expect(await client.unsubscribeResource({ uri: "test://watched-resource" })).toEqual({});
  });
});

describe("completion", () => {
  it("completes arg1 of test_prompt_with_arguments with matching values", async () => {
    const client = await connect();
    const { completion } = await client.complete({
      ref: { type: "ref/prompt", name: "test_prompt_with_arguments" },
      argument: { name: "arg1", value: "test" },
    });
    expect(completion.values.length).toBeGreaterThan(0);
    for (const v of completion.values) expect(v.startsWith("test"), v).toBe(true);
  });
});

describe("test_reconnection (SEP-1699) over raw HTTP at protocol 2025-11-25", () => {
  it("primes the POST stream, closes it without the result, and resumes on GET with Last-Event-ID", async () => {
    const session = await rawSession();
    try {
      const res = await post(
        { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "test_reconnection" } },
        session,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const { events, ended } = await readSse(res);
      expect(ended, "the server closes the POST stream").toBe(true);
      const [priming] = events;
      expect(priming?.id, "the priming event has an id").toMatch(/\S/);
      expect(priming?.retry, "the priming event has a retry: field").toBeGreaterThan(0);
      expect(priming?.data, "the priming event has empty data").toBe("");
      expect(
        events.map(messageOf).filter((m) => m?.id === 7),
        "the result is not on the closed POST stream",
      ).toEqual([]);

      const resumed = await fetch(http.url, {
        headers: {
          accept: "text/event-stream",
          "mcp-session-id": session,
          "mcp-protocol-version": PROTOCOL,
          "last-event-id": priming?.id as string,
        },
        signal: AbortSignal.timeout(5000),
      });
      expect(resumed.status).toBe(200);
      const replay = await readSse(resumed, (e) => messageOf(e)?.id === 7);
      const result = replay.events.map(messageOf).find((m) => m?.id === 7);
      expect(result).toMatchObject({
        jsonrpc: "2.0",
        id: 7,
        result: { content: [{ type: "text", text: expect.stringMatching(/\S/) }] },
      });
      expect((result?.result as { isError?: boolean }).isError).toBeFalsy();
    } finally {
      await closeRawSession(session);
    }
  });

  it("gives an SDK client the result after it reconnects by itself", async () => {
    const client = await connect();
    const result = await client.callTool({ name: "test_reconnection" });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: "text", text: expect.stringMatching(/\S/) }]);
  });
});

describe("sessions", () => {
  it("answers 3 concurrent POSTs in one session with 200 each", async () => {
    const session = await rawSession();
    try {
      const ids = [11, 12, 13];
      const responses = await Promise.all(
        ids.map((id) =>
          post(
            {
              jsonrpc: "2.0",
              id,
              method: "tools/call",
              params: { name: "test_tool_with_logging", arguments: {} },
            },
            session,
          ),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      const answers = await Promise.all(responses.map((r, i) => responseOf(r, ids[i] as number)));
      for (const [i, answer] of answers.entries()) {
        expect(answer).toMatchObject({ id: ids[i], result: { content: [{ type: "text" }] } });
      }
    } finally {
      await closeRawSession(session);
    }
  });

  it("accepts an mcp-protocol-version header of 2025-03-26 on a 2025-11-25 session", async () => {
    const session = await rawSession();
    try {
      const res = await post({ jsonrpc: "2.0", id: 5, method: "ping" }, session, "2025-03-26");
      expect(res.status).toBe(200);
      expect(await responseOf(res, 5)).toEqual({ jsonrpc: "2.0", id: 5, result: {} });
    } finally {
      await closeRawSession(session);
    }
  });

  it("refuses a foreign Host or Origin with 403 (DNS-rebinding protection)", async () => {
    const url = new URL(http.url);
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            headers: {
              "content-type": "application/json",
              accept: "application/json, text/event-stream",
              ...headers,
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "initialize",
            params: {
              protocolVersion: PROTOCOL,
              capabilities: {},
              clientInfo: { name: "x", version: "1" },
            },
          }),
        );
      });
    expect(await status({ host: "evil.example.com", origin: "http://evil.example.com" })).toBe(403);
    expect(await status({ host: url.host, origin: "http://evil.example.com" })).toBe(403);
    expect(await status({ host: url.host, origin: `http://127.0.0.1:${url.port}` })).toBe(200);
  });
});

describe("the watched-resource timer", () => {
  it("never keeps the process alive: a script that subscribes and closes exits on its own", async () => {
    const script = fileURLToPath(new URL("./fixtures/subscribe-and-close.ts", import.meta.url));
    const child = spawn(
      process.execPath,
      ["--conditions=@mcpforge/source", "--import", "tsx", script],
      { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 15_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code, `exit code (null = still alive after 15 s); stderr:\n${err}`).toBe(0);
    expect(out).toContain("updated test://watched-resource");
  });
});
