import {
  type Context,
  type ListKind,
  McpForgeError,
  type MiddlewareFn,
  type MiddlewareHooks,
  type ServerLogger,
} from "@mcpforge/core";
import { createStderrLogger, type SetupApi, UriTemplate } from "@mcpforge/core/authoring";
import { Generations } from "../internal/generations.js";
import { byteLength, canonicalJson, sha256 } from "../internal/json.js";
import {
  checkFunction,
  checkLogger,
  checkOptionsObject,
  checkPositiveInteger,
  checkStore,
  MAX_TTL_MS,
  optionsError,
} from "../internal/options.js";
import { ReadThrough, SingleFlight } from "../internal/read-through.js";
import type { CacheStore } from "../types.js";
import { callerIdentity } from "./identity.js";

/** The `_meta` key a cache hit is marked with: `{ hit: true, ageMs }`. */
export const CACHE_META_KEY = "dev.mcpforge/cache";

/** Options of {@link responseCache}. */
export interface ResponseCacheOptions {
  /** Where responses are kept (`memoryStore()`, `redisStore()`, `tieredStore()`, …). */
  store: CacheStore;
  /** How long a response stays fresh, in milliseconds. */
  ttlMs: number;
  /**
   * Which tools' results are cached: a list of tool names, or `"readOnly"` for every tool
   * annotated `readOnlyHint: true` (default: none — caching a tool is opt-in).
   */
  tools?: readonly string[] | "readOnly";
  /**
   * Cache `resources/read`: all resources, none, or these — each a resource name, a URI, or a
   * URI template such as `"items://{id}"` matching the URIs read (default true).
   */
  resources?: boolean | readonly string[];
  /** Cache `prompts/get`: all prompts, none, or these names (default true). */
  prompts?: boolean | readonly string[];
  /** Cache `tools/list`, `resources/list`, `resources/templates/list`, `prompts/list` (default true). */
  lists?: boolean;
  /** Responses larger than this (as JSON, in bytes) are not cached (default 1 MiB). */
  maxItemBytes?: number;
  /**
   * Who the caller is: responses are never shared between two identities. Default
   * {@link callerIdentity}: the authenticated principal, or one anonymous identity for
   * unauthenticated requests. Return `undefined` to not cache a request; use
   * `(ctx) => ctx.session.id` to partition by session instead.
   */
  identity?: (ctx: Context) => string | undefined;
  /** Where store failures are reported, once per streak (default: JSON lines on stderr). */
  logger?: Pick<ServerLogger, "warn">;
}

/** What {@link ResponseCache.invalidate} drops: every cached response of these components. */
export interface InvalidateTarget {
  /** A tool name. */
  tool?: string;
  /**
   * A resource's name, one URI, or a URI template (every URI read through it); a template is
   * recognised by its name and by its own template string.
   */
  resource?: string;
  /** A prompt name. */
  prompt?: string;
}

/** The counters of a {@link ResponseCache}. */
export interface ResponseCacheStats {
  /** Requests answered from the cache (or by an identical request running at the same time). */
  hits: number;
  /** Of those, requests that shared the answer of an identical request running at the same time. */
  coalesced: number;
  /** Cacheable requests that went to the origin. */
  misses: number;
  /** Responses stored. */
  sets: number;
  /** Responses not stored: errors, `isError` results, anything that is not an object. */
  skipped: number;
  /** Responses not stored because they exceed `maxItemBytes`. */
  oversized: number;
  /** Corrupt entries found (treated as misses and deleted). */
  corrupt: number;
  /**
   * Store failures: the ones the store threw, plus the ones it reports itself in its own
   * `stats().errors` (a Redis store answers a failed or bypassed read as a miss, so its trouble
   * shows up here too). The request went to the origin.
   */
  errors: number;
  /** Entries the store evicted to stay within its bounds (when it counts them). */
  evictions: number;
  /** Invalidations made (by name, tag or list). */
  invalidations: number;
}

/** The response-caching middleware, with invalidation and counters. */
export interface ResponseCache extends MiddlewareHooks {
  /** Drops every cached response of a tool, a resource (or template) or a prompt. */
  invalidate(target: InvalidateTarget): Promise<void>;
  /** Drops every cached response of components tagged `tag` (and `cached()` results with it). */
  invalidateTag(tag: string): Promise<void>;
  /** Drops the cached list answers of one kind, or of all kinds. */
  invalidateList(kind?: ListKind): Promise<void>;
  /** Hit/miss/eviction/error counters. */
  stats(): ResponseCacheStats;
}

const FACTORY = "responseCache";

/** An answer one request shares with identical requests that arrived while it ran. */
type Shared = { copy(): Record<string, unknown>; at: number } | undefined;
const LIST_KIND: Readonly<Record<string, ListKind>> = {
  "tools/list": "tools",
  "resources/list": "resources",
  "resources/templates/list": "resources",
  "prompts/list": "prompts",
};

function checkSelection(name: string, value: unknown, allowed?: string): void {
  if (value === undefined || typeof value === "boolean" || value === allowed) return;
  if (Array.isArray(value) && value.every((v) => typeof v === "string" && v.length > 0)) return;
  throw optionsError(
    FACTORY,
    `${name} must be ${allowed ? `"${allowed}" or ` : "a boolean or "}an array of names`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkName(what: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || value.length === 0) {
    throw new McpForgeError(
      "invalid_params",
      `@mcpforge/cache: ${what} must be a non-empty string`,
    );
  }
}

/**
 * A response-caching middleware. It caches `tools/call` (opt-in per tool, or every tool
 * annotated `readOnlyHint`), `resources/read`, `prompts/get` and the list operations. Keys are
 * SHA-256 hashes of the caller's identity, the method, the component and the canonical JSON of
 * the arguments (so argument order does not matter, and neither arguments nor tokens appear in
 * keys); two principals never share an entry. Identical requests arriving while one is being
 * served share its answer (single-flight). Errors, `isError` results and responses over
 * `maxItemBytes` are never cached nor shared. A cached answer carries
 * `_meta["dev.mcpforge/cache"] = { hit: true, ageMs }`. List answers are dropped whenever a
 * list changes (`app.onListChanged`); `invalidate()` and `invalidateTag()` drop the rest. A
 * failing store never fails a request: the request goes to the origin.
 *
 * Add it after authentication (so `ctx.auth` is set) and after anything that must run on every
 * request: a hit answers without calling the rest of the chain.
 *
 * @example
 * import { responseCache } from "@mcpforge/cache/middleware";
 * import { memoryStore } from "@mcpforge/cache/memory";
 * const cache = responseCache({ store: memoryStore(), ttlMs: 60_000, tools: "readOnly" });
 * app.use(cache);
 * // later, when the data behind a tool changed:
 * await cache.invalidate({ tool: "search" });
 */
export function responseCache(options: ResponseCacheOptions): ResponseCache {
  if (options === undefined) throw optionsError(FACTORY, "needs { store, ttlMs }");
  const opts = checkOptionsObject(FACTORY, options);
  checkStore(FACTORY, "store", opts.store);
  if (opts.ttlMs === undefined) throw optionsError(FACTORY, "needs ttlMs");
  checkPositiveInteger(FACTORY, "ttlMs", opts.ttlMs, MAX_TTL_MS);
  checkSelection("tools", opts.tools, "readOnly");
  if (typeof opts.tools === "boolean") {
    throw optionsError(FACTORY, 'tools must be "readOnly" or an array of tool names');
  }
  checkSelection("resources", opts.resources);
  checkSelection("prompts", opts.prompts);
  if (opts.lists !== undefined && typeof opts.lists !== "boolean") {
    throw optionsError(FACTORY, "lists must be a boolean");
  }
  checkPositiveInteger(FACTORY, "maxItemBytes", opts.maxItemBytes);
  checkFunction(FACTORY, "identity", opts.identity);
  checkLogger(FACTORY, opts.logger, ["warn"]);

  const { store, ttlMs } = opts;
  const maxItemBytes = opts.maxItemBytes ?? 1024 * 1024;
  const toolNames = Array.isArray(opts.tools) ? new Set<string>(opts.tools) : undefined;
  const readOnlyTools = opts.tools === "readOnly";
  const resources = opts.resources ?? true;
  const resourceNames = Array.isArray(resources) ? new Set<string>(resources) : undefined;
  const resourceTemplates: { text: string; template: UriTemplate }[] = [];
  for (const text of resourceNames ?? []) {
    if (!text.includes("{")) continue;
    try {
      resourceTemplates.push({ text, template: new UriTemplate(text) });
    } catch (err) {
      throw optionsError(FACTORY, `resources: ${(err as Error).message}`);
    }
  }
  const prompts = opts.prompts ?? true;
  const promptNames = Array.isArray(prompts) ? new Set<string>(prompts) : undefined;
  const lists = opts.lists ?? true;
  const identify = opts.identity ?? callerIdentity;
  const generations = new Generations(store);
  const counters = {
    hits: 0,
    coalesced: 0,
    misses: 0,
    sets: 0,
    skipped: 0,
    oversized: 0,
    corrupt: 0,
    errors: 0,
    invalidations: 0,
  };
  let logger = opts.logger;
  let failing = false;

  const storeFailed = (err: unknown) => {
    counters.errors++;
    if (failing) return;
    failing = true;
    logger ??= createStderrLogger("@mcpforge/cache/middleware");
    logger.warn("response cache store failed: requests go to the origin", {
      error: err instanceof Error ? err.message : String(err),
    });
  };

  /**
   * The dependencies of a cacheable request, or undefined when it is not cached. A component's
   * answers also depend on its list: whenever a component of that kind is added, removed,
   * enabled or disabled, they are dropped — a hidden or replaced component is never served.
   */
  const dependenciesOf = (ctx: Context): string[] | undefined => {
    const kind = LIST_KIND[ctx.method];
    if (kind) return lists ? [`list:${kind}`] : undefined;
    const component = ctx.component;
    if (!component) return undefined; // unknown, disabled or removed: never from the cache
    const tags = [...component.tags].sort().map((t) => `tag:${t}`);
    tags.push(
      `list:${component.type === "tool" ? "tools" : component.type === "prompt" ? "prompts" : "resources"}`,
    );
    switch (ctx.method) {
      case "tools/call": {
        if (component.type !== "tool") return undefined;
        const wanted = readOnlyTools
          ? component.annotations?.readOnlyHint === true
          : (toolNames?.has(component.name) ?? false);
        return wanted ? [`tool:${component.name}`, ...tags] : undefined;
      }
      case "resources/read": {
        const uri = ctx.params.uri;
        if (typeof uri !== "string" || resources === false) return undefined;
        const templates = resourceTemplates
          .filter((t) => t.template.match(uri) !== null)
          .map((t) => t.text);
        if (
          resourceNames &&
          !resourceNames.has(component.name) &&
          !resourceNames.has(component.key) &&
          !resourceNames.has(uri) &&
          templates.length === 0
        ) {
          return undefined;
        }
        const own = new Set([component.name, component.key, uri, ...templates]);
        return [...[...own].map((r) => `resource:${r}`), ...tags];
      }
      case "prompts/get": {
        if (prompts === false || (promptNames && !promptNames.has(component.name))) {
          return undefined;
        }
        return [`prompt:${component.name}`, ...tags];
      }
      default:
        return undefined;
    }
  };

  const keyOf = (ctx: Context, identity: string): string => {
    const { _meta: _ignored, ...args } = ctx.params;
    const material = canonicalJson([
      "rc1",
      identity,
      ctx.method,
      ctx.component?.name ?? null,
      args,
    ]);
    return `mcpforge:rc:${sha256(material)}`;
  };

  const markHit = (value: Record<string, unknown>, at: number) => {
    const meta = isPlainObject(value._meta) ? value._meta : {};
    return {
      ...value,
      _meta: { ...meta, [CACHE_META_KEY]: { hit: true, ageMs: Math.max(0, Date.now() - at) } },
    };
  };

  /** The JSON text of a response that may be cached and shared, or undefined (counted). */
  const cacheable = (result: unknown): string | undefined => {
    if (!isPlainObject(result) || result.isError === true) {
      counters.skipped++;
      return undefined;
    }
    let text: string;
    try {
      text = JSON.stringify(result);
    } catch {
      counters.skipped++;
      return undefined;
    }
    if (byteLength(text) > maxItemBytes) {
      counters.oversized++;
      return undefined;
    }
    return text;
  };

  const reader = new ReadThrough({
    store,
    generations,
    ttlMs,
    counters,
    usable: isPlainObject,
    onStoreError: storeFailed,
    onStored: () => {
      counters.sets++;
      failing = false;
    },
  });

  /** Looks the request up, or runs the origin and stores its response. */
  const serve = async (
    next: () => Promise<unknown>,
    key: string,
    dependencies: string[],
  ): Promise<{ result: unknown; shared: Shared }> => {
    const response: { text?: string | undefined } = {};
    const found = await reader.get(key, dependencies, next, (result) => {
      response.text = cacheable(result);
      return response.text !== undefined;
    });
    if (found.hit) {
      const value = found.value as Record<string, unknown>;
      return {
        result: markHit(value, found.at),
        shared: { copy: () => structuredClone(value), at: found.at },
      };
    }
    // Not shared: a response that may not be cached, or one served while the store failed.
    const json = response.text;
    if (json === undefined) return { result: found.value, shared: undefined };
    return {
      result: found.value,
      shared: { copy: () => JSON.parse(json) as Record<string, unknown>, at: Date.now() },
    };
  };

  /** Requests being served, by key: identical requests arriving meanwhile share the answer. */
  const flights = new SingleFlight<{ result: unknown; shared: Shared }>();

  const handle: MiddlewareFn = async (ctx, next) => {
    const dependencies = dependenciesOf(ctx);
    if (!dependencies) return next();
    const identity = identify(ctx);
    if (typeof identity !== "string" || identity.length === 0) return next();
    let key: string;
    try {
      key = keyOf(ctx, identity);
    } catch {
      return next();
    }
    const running = flights.running(key);
    if (running) {
      const shared = await running.then(
        (served) => served.shared,
        () => undefined,
      );
      if (shared) {
        counters.hits++;
        counters.coalesced++;
        return markHit(shared.copy(), shared.at);
      }
      // The first request failed or its answer may not be shared: serve this one itself.
      return (await serve(next, key, dependencies)).result;
    }
    return (await flights.start(key, () => serve(next, key, dependencies))).result;
  };

  const bump = async (dependency: string) => {
    counters.invalidations++;
    // Requests arriving from now on must not join an answer computed before.
    flights.clear();
    await generations.bump(dependency);
  };

  const invalidateList = async (kind?: ListKind) => {
    if (kind !== undefined && kind !== "tools" && kind !== "resources" && kind !== "prompts") {
      throw new McpForgeError(
        "invalid_params",
        `@mcpforge/cache: unknown list kind ${String(kind)}`,
      );
    }
    const kinds: ListKind[] = kind ? [kind] : ["tools", "resources", "prompts"];
    await Promise.all(kinds.map((k) => bump(`list:${k}`)));
  };

  return {
    name: "response-cache",
    onCallTool: handle,
    onReadResource: handle,
    onGetPrompt: handle,
    onListTools: handle,
    onListResources: handle,
    onListResourceTemplates: handle,
    onListPrompts: handle,
    setup(app: SetupApi) {
      // At once, not batched: a request may already be on its way in the same tick.
      app.onListChanged((kind) => {
        invalidateList(kind).catch((err: unknown) => storeFailed(err));
      });
    },
    async invalidate(target: InvalidateTarget): Promise<void> {
      if (!isPlainObject(target)) {
        throw new McpForgeError(
          "invalid_params",
          "@mcpforge/cache: invalidate() takes { tool?, resource?, prompt? }",
        );
      }
      const jobs: Promise<void>[] = [];
      for (const field of ["tool", "resource", "prompt"] as const) {
        const name = target[field];
        if (name === undefined) continue;
        checkName(`invalidate({ ${field} })`, name);
        jobs.push(bump(`${field}:${name}`));
      }
      if (jobs.length === 0) {
        throw new McpForgeError(
          "invalid_params",
          "@mcpforge/cache: invalidate() needs a tool, resource or prompt",
        );
      }
      await Promise.all(jobs);
    },

    async invalidateTag(tag: string): Promise<void> {
      checkName("invalidateTag(tag)", tag);
      await bump(`tag:${tag}`);
    },

    invalidateList,

    stats(): ResponseCacheStats {
      const own = store.stats?.();
      return {
        ...counters,
        errors: counters.errors + (own?.errors ?? 0),
        evictions: own?.evictions ?? 0,
      };
    },
  };
}
