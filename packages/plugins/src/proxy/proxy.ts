import {
  createServer,
  type ListKind,
  type McpForgeApp,
  type MiddlewareFn,
  type ServerLogger,
} from "@mcpforge/core";
import type { ForwardedCall, ResultSchema } from "@mcpforge/core/authoring";
import {
  type Client,
  type ClientTarget,
  CompleteResultSchema,
  EmptyResultSchema,
  GetPromptResultSchema,
  ReadResourceResultSchema,
  type Tool,
} from "@mcpforge/core/client";
import { Mirror, type MirrorItem, type MirrorType } from "../internal/mirror.js";
import {
  checkDuration,
  checkMethods,
  checkOptionsObject,
  checkPositiveInteger,
  checkString,
  optionsError,
} from "../internal/options.js";
import {
  checkToolTransforms,
  type ToolTransforms,
  transformTool,
} from "../transforms/transforms.js";
import { Backend, type BackendStatus, type ReconnectOptions } from "./backend.js";
import { type EntryOf, listAll } from "./lists.js";
import { TOOL_RESULT } from "./results.js";
import { ProxySubscriptions } from "./subscriptions.js";

/** Options of {@link createProxy}. */
export interface ProxyOptions {
  /** The proxy app's name (default `proxy`); also names the backend in errors and logs. */
  name?: string;
  version?: string;
  /** Time allowed for one forwarded call (default 60 000 ms); then it fails with `timeout`. */
  timeoutMs?: number;
  /** Time allowed for connecting and `initialize` (default 30 000 ms). */
  connectTimeoutMs?: number;
  /** How long the backend's lists are trusted before they are fetched again (default 60 000 ms). */
  listTtlMs?: number;
  /** Reconnection with exponential backoff after the connection drops. */
  reconnect?: ReconnectOptions;
  /**
   * When true (default), starting the proxy fails if the backend cannot be reached; when
   * false, it starts anyway and keeps trying (calls fail with `unavailable` meanwhile).
   */
  failFast?: boolean;
  /** Filter, rename, re-describe tools, or hide arguments with fixed values. */
  tools?: ToolTransforms;
  logger?: ServerLogger;
}

/** The backend side of a proxy app. */
export interface ProxyBackend {
  /** The connection's state, server info and counters. */
  status(): BackendStatus;
  /** Fetches the backend's lists again now. */
  refresh(): Promise<void>;
}

/** An app whose components forward to a remote MCP server. */
export type ProxyApp = McpForgeApp & { readonly backend: ProxyBackend };

const KINDS: readonly ListKind[] = ["tools", "resources", "prompts"];
const TYPES_OF_KIND: Record<ListKind, MirrorType[]> = {
  tools: ["tool"],
  resources: ["resource", "template"],
  prompts: ["prompt"],
};

function describeTarget(target: ClientTarget): string {
  if ("url" in target) {
    const url = new URL(String(target.url));
    return `${url.protocol}//${url.host}${url.pathname}`;
  }
  return [target.command, ...(target.args ?? [])].join(" ");
}

/**
 * Puts a remote MCP server behind an app: its tools, resources, templates and prompts are
 * served by the app and forwarded through one SDK client connection (stdio `{ command, args,
 * env, cwd }` or Streamable HTTP `{ url, headers }`), reused by every call and re-opened with
 * backoff when it drops. Lists are cached (`listTtlMs`) and fetched again when the backend
 * announces a change; progress, logs, sampling, elicitation and roots requests travel between
 * the backend and the calling client; cancellation and a per-call timeout apply. Mount several
 * proxies under namespaces for a gateway.
 *
 * @example
 * const everything = createProxy({ command: "npx", args: ["@modelcontextprotocol/server-everything"] });
 * mount(app, everything, { namespace: "everything" });
 */
export function createProxy(target: ClientTarget, options: ProxyOptions = {}): ProxyApp {
  const f = "createProxy";
  const o = checkOptionsObject(f, options);
  if (
    typeof target !== "object" ||
    target === null ||
    (!("command" in target) && !("url" in target))
  ) {
    throw optionsError(f, "the target must be { command, args?, env?, cwd? } or { url, headers? }");
  }
  checkString(f, "name", o.name, { nonEmpty: true });
  checkString(f, "version", o.version, { nonEmpty: true });
  checkDuration(f, "timeoutMs", o.timeoutMs);
  checkDuration(f, "connectTimeoutMs", o.connectTimeoutMs);
  checkDuration(f, "listTtlMs", o.listTtlMs);
  const r = checkOptionsObject(f, o.reconnect);
  checkDuration(f, "reconnect.initialDelayMs", r.initialDelayMs);
  checkDuration(f, "reconnect.maxDelayMs", r.maxDelayMs);
  if (r.maxAttempts !== Number.POSITIVE_INFINITY)
    checkPositiveInteger(f, "reconnect.maxAttempts", r.maxAttempts);
  if (o.failFast !== undefined && typeof o.failFast !== "boolean")
    throw optionsError(f, "failFast must be a boolean");
  checkToolTransforms(f, o.tools);
  checkMethods(f, "logger", o.logger, ["debug", "info", "warn", "error"]);

  const name = o.name ?? "proxy";
  const app = createServer({
    name,
    version: o.version ?? "0.0.0",
    ...(o.logger ? { logger: o.logger } : {}),
  });
  const logger = app.logger;
  const ttl = o.listTtlMs ?? 60_000;
  const mirror = new Mirror(app, logger, `@mcpforge/plugins: proxy "${name}"`);
  const fetchedAt: Record<ListKind, number> = { tools: 0, resources: 0, prompts: 0 };
  let refreshing: Promise<void> = Promise.resolve();

  const backend = new Backend({
    name,
    target,
    clientInfo: { name: `${name} (mcpforge proxy)`, version: o.version ?? "0.0.0" },
    timeoutMs: o.timeoutMs ?? 60_000,
    connectTimeoutMs: o.connectTimeoutMs ?? 30_000,
    reconnect: {
      initialDelayMs: r.initialDelayMs ?? 200,
      maxDelayMs: r.maxDelayMs ?? 10_000,
      maxAttempts: r.maxAttempts ?? Number.POSITIVE_INFINITY,
    },
    logger,
    onConnected: async (client) => {
      await sync(client, KINDS);
      await subscriptions.renew(client);
    },
    onListChanged: (kind) => void refresh([kind]),
    onResourceUpdated: (uri) => app.notifyResourceUpdated(uri),
  });

  const forwardTo =
    (method: string, schema: ResultSchema) =>
    (call: ForwardedCall, params: Record<string, unknown>) =>
      call.method === "completion/complete"
        ? backend.request(call, "completion/complete", call.params, CompleteResultSchema)
        : backend.request(call, method, params, schema);

  const subscriptions = new ProxySubscriptions((call, method, uri) =>
    backend.request(call, method, { uri }, EmptyResultSchema),
  );
  const readOrSubscribe = forwardTo("resources/read", ReadResourceResultSchema);
  const readResource = (call: ForwardedCall, params: Record<string, unknown>) =>
    call.method === "resources/subscribe" || call.method === "resources/unsubscribe"
      ? subscriptions.change(
          call,
          call.method === "resources/subscribe",
          backend.status().capabilities?.resources?.subscribe === true,
        )
      : readOrSubscribe(call, params);
  const getPrompt = forwardTo("prompts/get", GetPromptResultSchema);
  // plain results checked by hand, others by CallToolResultSchema
  const callTool = forwardTo("tools/call", TOOL_RESULT);

  /** The mirror item of one backend entry (tools go through the transforms). */
  function itemOf<T extends MirrorType>(type: T, entry: EntryOf[T]): MirrorItem[] {
    if (type === "tool") {
      const tool = entry as Tool;
      const t = transformTool(tool, new Set(), o.tools);
      if (!t) return [];
      const forward = (call: ForwardedCall) =>
        callTool(call, {
          ...call.params,
          name: tool.name,
          arguments: t.mapArgs(call.params.arguments),
        });
      return [{ spec: { type: "tool", entry: t.entry, tags: t.tags }, forward }];
    }
    const answer = type === "prompt" ? getPrompt : readResource;
    const spec = { type, entry } as MirrorItem["spec"];
    return [{ spec, forward: (call) => answer(call, call.params) }];
  }

  /** Fetches the lists of some kinds and makes the app's components match them. */
  async function sync(client: Client, kinds: readonly ListKind[]): Promise<void> {
    const caps = client.getServerCapabilities() ?? {};
    const items: MirrorItem[] = [];
    for (const kind of kinds) {
      if (caps[kind]) {
        for (const type of TYPES_OF_KIND[kind]) {
          for (const entry of await listAll(client, type)) items.push(...itemOf(type, entry));
        }
      }
      fetchedAt[kind] = Date.now();
    }
    mirror.sync(
      kinds.flatMap((k) => TYPES_OF_KIND[k]),
      items,
      "log",
    );
  }

  /** Fetches lists again, one refresh at a time; a failure keeps the cached lists. */
  function refresh(kinds: readonly ListKind[]): Promise<void> {
    refreshing = refreshing.then(async () => {
      if (backend.state !== "connected") return;
      try {
        await sync(backend.client(), kinds);
      } catch (err) {
        logger.warn(`proxy "${name}": could not refresh ${kinds.join(", ")}`, {
          error: String(err),
        });
      }
    });
    return refreshing;
  }

  const stale = (kind: ListKind) =>
    backend.state === "connected" && Date.now() - fetchedAt[kind] > ttl;
  const refreshIfStale =
    (kind: ListKind): MiddlewareFn =>
    async (_ctx, next) => {
      if (stale(kind)) await refresh([kind]);
      return next();
    };
  app.use({
    name: "proxy-list-ttl",
    onListTools: refreshIfStale("tools"),
    onListResources: refreshIfStale("resources"),
    onListResourceTemplates: refreshIfStale("resources"),
    onListPrompts: refreshIfStale("prompts"),
  });

  // Backends that do not announce list changes are polled once per TTL (while connected).
  let poll: NodeJS.Timeout | undefined;
  app.onStart(async () => {
    if (o.failFast === false) {
      await backend.connect().catch((err: unknown) => {
        logger.warn(String((err as Error).message), { backend: describeTarget(target) });
        backend.connectInBackground();
      });
    } else {
      await backend.connect();
    }
    if (Number.isFinite(ttl)) {
      poll = setInterval(() => {
        const caps = backend.status().capabilities ?? {};
        const quiet = KINDS.filter(
          (k) => caps[k] && !(caps[k] as { listChanged?: boolean }).listChanged,
        );
        const due = quiet.filter(stale);
        if (due.length > 0) void refresh(due);
      }, ttl);
      poll.unref?.();
    }
  });
  app.onClose(async () => {
    if (poll) clearInterval(poll);
    await backend.close();
  });

  const handle: ProxyBackend = {
    status: () => backend.status(),
    refresh: () => refresh(KINDS),
  };
  Object.defineProperty(app, "backend", { value: handle, enumerable: true });
  return app as ProxyApp;
}
