import type { McpForgeApp } from "@mcpforge/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type CallToolResult,
  type ClientCapabilities,
  type CompleteRequest,
  type CompleteResult,
  type CreateMessageRequest,
  CreateMessageRequestSchema,
  type CreateMessageResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  type GetPromptResult,
  ListRootsRequestSchema,
  type LoggingLevel,
  type LoggingMessageNotification,
  type Notification,
  type ProgressNotification,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type Root,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";

/** Options of {@link createTestClient}. */
export interface TestClientOptions {
  /** Answers `sampling/createMessage`; declaring it declares the `sampling` capability. */
  sampling?: (
    params: CreateMessageRequest["params"],
  ) => CreateMessageResult | Promise<CreateMessageResult>;
  /** Answers `elicitation/create`; declaring it declares the `elicitation` capability. */
  elicitation?: (params: ElicitRequest["params"]) => ElicitResult | Promise<ElicitResult>;
  /** The client's roots (or a function giving them); declares the `roots` capability. */
  roots?: Root[] | (() => Root[] | Promise<Root[]>);
  clientInfo?: { name: string; version: string };
}

/** Per-call options of the typed helpers. */
export interface CallOptions {
  signal?: AbortSignal;
  timeout?: number;
  /** Ask for progress notifications (they are recorded in `progress` either way). */
  onProgress?: (p: ProgressNotification["params"]) => void;
}

/** Thrown by {@link TestClient.callTool} when the tool answered with `isError: true`. */
export class ToolCallError extends Error {
  override readonly name = "ToolCallError";
  readonly result: CallToolResult;
  constructor(tool: string, result: CallToolResult) {
    super(`Tool "${tool}" failed: ${textOf(result)}`);
    this.result = result;
  }
}

/**
 * Joins the text blocks of a tool result.
 *
 * @example
 * textOf({ content: [{ type: "text", text: "hi" }] }); // "hi"
 */
export function textOf(result: { content?: unknown }): string {
  const content = Array.isArray(result.content) ? result.content : [];
  return content
    .filter((b): b is { type: "text"; text: string } => b?.type === "text")
    .map((b) => b.text)
    .join("\n");
}

/** An SDK client connected in memory to an app, with typed helpers and recorded traffic. */
export interface TestClient extends AsyncDisposable {
  /** The real SDK client. */
  readonly client: Client;
  /** Every notification received, in order. */
  readonly notifications: Notification[];
  /** Received `notifications/message` params, in order. */
  readonly logs: LoggingMessageNotification["params"][];
  /** Received `notifications/progress` params, in order. */
  readonly progress: ProgressNotification["params"][];
  /** Kinds of received list_changed notifications (`tools`, `resources`, `prompts`). */
  readonly listChanged: string[];
  /** Calls a tool; returns its structured content (or parsed JSON / text); throws {@link ToolCallError} on `isError`. */
  callTool<T = unknown>(
    name: string,
    args?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<T>;
  /** Calls a tool and returns the raw result. */
  callToolRaw(
    name: string,
    args?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallToolResult>;
  listTools(): Promise<Tool[]>;
  listResources(): Promise<Resource[]>;
  listResourceTemplates(): Promise<ResourceTemplate[]>;
  readResource(uri: string): Promise<ReadResourceResult>;
  listPrompts(): Promise<Prompt[]>;
  getPrompt(name: string, args?: Record<string, string>): Promise<GetPromptResult>;
  complete(
    ref: CompleteRequest["params"]["ref"],
    argument: { name: string; value: string },
    context?: Record<string, string>,
  ): Promise<CompleteResult["completion"]>;
  setLogLevel(level: LoggingLevel): Promise<void>;
  /** Waits until a notification with this method (and matching `predicate`) has arrived. */
  waitForNotification(
    method: string,
    predicate?: (n: Notification) => boolean,
    timeoutMs?: number,
  ): Promise<Notification>;
  /** Forgets recorded notifications. */
  clearNotifications(): void;
  close(): Promise<void>;
}

function structuredOrText(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const text = textOf(result);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Connects the real SDK client to an app over the in-memory transport.
 *
 * @example
 * await using client = await createTestClient(app);
 * expect(await client.callTool("add", { a: 1, b: 2 })).toBe(3);
 */
export async function createTestClient(
  app: McpForgeApp<never> | McpForgeApp,
  options: TestClientOptions = {},
): Promise<TestClient> {
  const capabilities: ClientCapabilities = {};
  if (options.sampling) capabilities.sampling = {};
  if (options.elicitation) capabilities.elicitation = {};
  if (options.roots) capabilities.roots = { listChanged: true };
  const client = new Client(
    options.clientInfo ?? { name: "mcpforge-test-client", version: "0.0.0" },
    {
      capabilities,
    },
  );
  const notifications: Notification[] = [];
  const logs: LoggingMessageNotification["params"][] = [];
  const progress: ProgressNotification["params"][] = [];
  const listChanged: string[] = [];
  const waiters = new Set<(n: Notification) => void>();
  const record = (n: Notification) => {
    notifications.push(n);
    if (n.method === "notifications/message")
      logs.push(n.params as LoggingMessageNotification["params"]);
    if (n.method === "notifications/progress")
      progress.push(n.params as ProgressNotification["params"]);
    const m = /^notifications\/(tools|resources|prompts)\/list_changed$/.exec(n.method);
    if (m?.[1]) listChanged.push(m[1]);
    for (const w of waiters) w(n);
  };
  client.fallbackNotificationHandler = async (n) => record(n);
  if (options.sampling) {
    const handler = options.sampling;
    client.setRequestHandler(CreateMessageRequestSchema, (req) => handler(req.params));
  }
  if (options.elicitation) {
    const handler = options.elicitation;
    client.setRequestHandler(ElicitRequestSchema, (req) => handler(req.params));
  }
  if (options.roots) {
    const roots = options.roots;
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: typeof roots === "function" ? await roots() : roots,
    }));
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await (app as McpForgeApp).connect(serverSide, { transportName: "memory" });
  await client.connect(clientSide);

  const requestOptions = (o: CallOptions = {}): RequestOptions => {
    const r: RequestOptions = {
      onprogress: (p) => {
        record({ method: "notifications/progress", params: p });
        o.onProgress?.(p as ProgressNotification["params"]);
      },
    };
    if (o.signal) r.signal = o.signal;
    if (o.timeout !== undefined) r.timeout = o.timeout;
    return r;
  };

  async function all<T>(
    fetch: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
  ) {
    const out: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await fetch(cursor);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  const callToolRaw = async (name: string, args?: Record<string, unknown>, o?: CallOptions) =>
    (await client.callTool(
      args === undefined ? { name } : { name, arguments: args },
      undefined,
      requestOptions(o),
    )) as CallToolResult;

  const close = async () => {
    await client.close();
  };

  return {
    client,
    notifications,
    logs,
    progress,
    listChanged,
    callToolRaw,
    async callTool<T>(name: string, args?: Record<string, unknown>, o?: CallOptions) {
      const result = await callToolRaw(name, args, o);
      if (result.isError) throw new ToolCallError(name, result);
      return structuredOrText(result) as T;
    },
    listTools: () =>
      all(async (cursor) => {
        const r = await client.listTools(cursor ? { cursor } : undefined);
        return { items: r.tools, nextCursor: r.nextCursor };
      }),
    listResources: () =>
      all(async (cursor) => {
        const r = await client.listResources(cursor ? { cursor } : undefined);
        return { items: r.resources, nextCursor: r.nextCursor };
      }),
    listResourceTemplates: () =>
      all(async (cursor) => {
        const r = await client.listResourceTemplates(cursor ? { cursor } : undefined);
        return { items: r.resourceTemplates, nextCursor: r.nextCursor };
      }),
    readResource: (uri) => client.readResource({ uri }),
    listPrompts: () =>
      all(async (cursor) => {
        const r = await client.listPrompts(cursor ? { cursor } : undefined);
        return { items: r.prompts, nextCursor: r.nextCursor };
      }),
    getPrompt: (name, args) => client.getPrompt(args ? { name, arguments: args } : { name }),
    async complete(ref, argument, context) {
      const params: CompleteRequest["params"] = { ref, argument };
      if (context) params.context = { arguments: context };
      return (await client.complete(params)).completion;
    },
    async setLogLevel(level) {
      await client.setLoggingLevel(level);
    },
    waitForNotification(method, predicate = () => true, timeoutMs = 5000) {
      const found = notifications.find((n) => n.method === method && predicate(n));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No ${method} notification within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (n: Notification) => {
          if (n.method !== method || !predicate(n)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(n);
        };
        waiters.add(waiter);
      });
    },
    clearNotifications() {
      notifications.length = 0;
      logs.length = 0;
      progress.length = 0;
      listChanged.length = 0;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
