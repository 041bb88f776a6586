import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type Context, McpForgeError, type MiddlewareHooks } from "@mcpforge/core";
import { httpError, principalKey } from "@mcpforge/core/authoring";
import { toolNameOf } from "../internal/correlation.js";
import { checkOptionsObject, optionsError } from "../internal/options.js";
import { clientIp, type TrustProxy } from "./client-key.js";
import { consumeNow, type MaybeSyncStore } from "./internal/consume-now.js";
import { memoryRateLimitStore } from "./memory-store.js";
import {
  checkRule,
  type RateLimitDecision,
  type RateLimitRule,
  type RateLimitStore,
} from "./rules.js";

/** Options of {@link rateLimit}. Every limit applies per client (see the README). */
export interface RateLimitOptions {
  /**
   * A limit on all requests of a client. Over HTTP it counts every request to the MCP endpoint
   * and answers 429 with `Retry-After`; on stdio and in memory it counts every MCP request.
   */
  global?: RateLimitRule;
  /** Limits on calls of one tool, by tool name. */
  perTool?: Record<string, RateLimitRule>;
  /** Limits on calls of the tools carrying a tag, by tag (one budget per tag, shared by its tools). */
  perTag?: Record<string, RateLimitRule>;
  /** Where the counts live (default: a fresh `memoryRateLimitStore()`); `redisRateLimitStore()` shares them. */
  store?: RateLimitStore;
  /**
   * Believe `X-Forwarded-For` / `Forwarded` for the client address: `true` takes the left-most
   * address (forgeable by clients unless your proxy overwrites the header), a number `n` takes
   * the address your `n` proxies saw (recommended). Default `false`: the socket's peer address.
   */
  trustProxy?: TrustProxy;
}

/** Counts of the decisions a limiter made. */
export interface RateLimitStats {
  /** Attempts allowed (one per limit checked). */
  allowed: number;
  /** Attempts refused. */
  limited: number;
  /** Decisions made by a store's local fallback (e.g. while Redis was unreachable). */
  failOpen: number;
}

/** The middleware `rateLimit()` returns: hooks plus decision counts. */
export interface RateLimiter extends MiddlewareHooks {
  /** Decision counts since the limiter was created. */
  stats(): RateLimitStats;
}

const FACTORY = "rateLimit";
const ANONYMOUS = "anonymous";
const MAX_KEY_PART = 200;

function checkRules(name: string, value: unknown): Map<string, RateLimitRule> {
  const out = new Map<string, RateLimitRule>();
  if (value === undefined) return out;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionsError(FACTORY, `${name} must be an object of rules`);
  }
  for (const [key, rule] of Object.entries(value)) {
    out.set(key, checkRule(FACTORY, `${name}[${JSON.stringify(key)}]`, rule));
  }
  return out;
}

function checkStore(value: unknown): void {
  if (value === undefined) return;
  if (
    typeof value !== "object" ||
    value === null ||
    typeof (value as RateLimitStore).consume !== "function"
  ) {
    throw optionsError(FACTORY, "store must be a rate-limit store (with a consume() method)");
  }
}

function checkTrustProxy(value: unknown): void {
  if (value === undefined || typeof value === "boolean") return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 100) {
    throw optionsError(FACTORY, "trustProxy must be a boolean or a number of proxy hops (0-100)");
  }
}

/** Recent {@link keyPart} results: the same few principals and tools come back every request. */
const keyParts = new Map<string, string>();
const KEY_PARTS_KEPT = 1000;

/** A bounded piece of a store key without `:` (long values are hashed). */
function keyPart(value: string): string {
  let part = keyParts.get(value);
  if (part !== undefined) return part;
  part =
    value.length > MAX_KEY_PART
      ? `#${createHash("sha256").update(value).digest("base64url")}`
      : encodeURIComponent(value);
  if (keyParts.size >= KEY_PARTS_KEPT) keyParts.clear();
  keyParts.set(value, part);
  return part;
}

function clientKey(principal: string | undefined, ip: string | undefined): string {
  if (principal !== undefined) return `p:${keyPart(principal)}`;
  if (ip !== undefined) return `ip:${ip}`;
  return ANONYMOUS;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function writeTooManyRequests(res: ServerResponse, retryAfterMs: number): void {
  const retry = seconds(retryAfterMs);
  // Browsers only let scripts read Retry-After when CORS exposes it.
  const exposed = res.getHeader("access-control-expose-headers");
  if (typeof exposed === "string" && !/retry-after/i.test(exposed)) {
    res.setHeader("access-control-expose-headers", `${exposed}, Retry-After`);
  }
  httpError(res, 429, "rate_limited", `Rate limit exceeded; retry in ${retry} s`, {
    headers: { "retry-after": String(retry) },
    data: { retryAfterMs, scope: "global" },
  });
}

/**
 * Rate limits per client — the authenticated principal (`auth.extra.subject`, else
 * `clientId`), else the client's IP address — with token buckets or fixed windows, globally
 * (HTTP 429 + `Retry-After` over HTTP), per tool and per tag (`McpForgeError("rate_limited")`,
 * JSON-RPC -32029, with `{ retryAfterMs }`). Counts live in a `memoryRateLimitStore()` or a shared
 * `redisRateLimitStore()`.
 *
 * @example
 * import { rateLimit } from "@mcpforge/middleware/rate-limit";
 * const limiter = rateLimit({
 *   global: { algorithm: "token-bucket", capacity: 100, refillPerSecond: 10 },
 *   perTool: { send_email: { algorithm: "fixed-window", limit: 5, windowMs: 60_000 } },
 *   perTag: { expensive: { algorithm: "token-bucket", capacity: 3, refillPerSecond: 0.1 } },
 *   trustProxy: 1,
 * });
 * app.use(limiter);
 * console.error(limiter.stats()); // { allowed, limited, failOpen }
 */
export function rateLimit(options: RateLimitOptions): RateLimiter {
  const opts = checkOptionsObject(FACTORY, options);
  const global = opts.global === undefined ? undefined : checkRule(FACTORY, "global", opts.global);
  const perTool = checkRules("perTool", opts.perTool);
  const perTag = checkRules("perTag", opts.perTag);
  checkStore(opts.store);
  checkTrustProxy(opts.trustProxy);
  if (global === undefined && perTool.size === 0 && perTag.size === 0) {
    throw optionsError(FACTORY, "needs at least one limit: global, perTool or perTag");
  }
  const store = opts.store ?? memoryRateLimitStore();
  const trustProxy = opts.trustProxy ?? false;
  const counts: RateLimitStats = { allowed: 0, limited: 0, failOpen: 0 };
  /** HTTP client addresses, by the request's headers object (the one `ctx.http.headers` is). */
  const addresses = new WeakMap<object, string>();
  // Only per-tool and per-tag limits read the address again (in onCallTool).
  const keepAddresses = perTool.size > 0 || perTag.size > 0;
  const decideNow = (store as MaybeSyncStore)[consumeNow]?.bind(store);

  const counted = (decision: RateLimitDecision): RateLimitDecision => {
    if (decision.allowed) counts.allowed++;
    else counts.limited++;
    if (decision.failOpen) counts.failOpen++;
    return decision;
  };
  /** A memory store decides at once; any other store answers with a promise. */
  const checkNow = (
    key: string,
    rule: RateLimitRule,
  ): RateLimitDecision | Promise<RateLimitDecision> =>
    decideNow ? counted(decideNow(key, rule)) : store.consume(key, rule).then(counted);
  const check = async (key: string, rule: RateLimitRule): Promise<RateLimitDecision> =>
    checkNow(key, rule);
  const answerHttp = (res: ServerResponse, decision: RateLimitDecision): true | undefined => {
    if (decision.allowed) return undefined;
    writeTooManyRequests(res, decision.retryAfterMs);
    return true;
  };

  // The last global key made: consecutive requests of one client reuse the same string (and
  // the store's map finds it by its cached hash).
  let lastPrincipal: string | undefined;
  let lastIp: string | undefined;
  let lastGlobalKey: string | undefined;
  const globalKey = (principal: string | undefined, ip: string | undefined): string => {
    if (lastGlobalKey === undefined || principal !== lastPrincipal || ip !== lastIp) {
      lastPrincipal = principal;
      lastIp = ip;
      lastGlobalKey = `global:${clientKey(principal, ip)}`;
    }
    return lastGlobalKey;
  };

  const clientOf = (ctx: Context): string => {
    const http = ctx.http;
    const ip = http ? addresses.get(http.headers) : undefined;
    return clientKey(principalKey(ctx.auth), ip);
  };

  const limiter: RateLimiter = {
    name: "rateLimit",
    stats: () => ({ ...counts }),
    setup: (app) => {
      const connect = store.connect?.bind(store);
      if (connect) app.onStart(() => connect());
    },
    onHttpRequest: (req, res): boolean | undefined | Promise<boolean | undefined> => {
      const ip = clientIp(req, trustProxy);
      if (keepAddresses && ip !== undefined) addresses.set(req.headers, ip);
      if (!global) return undefined;
      const decision = checkNow(globalKey(principalKey(req.auth), ip), global);
      if (decision instanceof Promise) {
        return decision.then((d): boolean | undefined => answerHttp(res, d));
      }
      return answerHttp(res, decision);
    },
  };

  if (global) {
    const rule = global;
    const enforce = (decision: RateLimitDecision): void => {
      if (decision.allowed) return;
      const retryAfterMs = decision.retryAfterMs;
      throw new McpForgeError(
        "rate_limited",
        `Rate limit exceeded; retry in ${seconds(retryAfterMs)} s`,
        { data: { retryAfterMs, scope: "global" } },
      );
    };
    limiter.onRequest = (ctx, next) => {
      // Over HTTP the global limit was applied to the HTTP request already: no async frame.
      if (ctx.transport === "http") return next();
      return check(`global:${clientOf(ctx)}`, rule).then((decision) => {
        enforce(decision);
        return next();
      });
    };
  }

  if (perTool.size > 0 || perTag.size > 0) {
    limiter.onCallTool = async (ctx, next) => {
      const tool = toolNameOf(ctx);
      const checks: { scope: "tool" | "tag"; name: string; rule: RateLimitRule }[] = [];
      const toolRule = perTool.get(tool);
      if (toolRule) checks.push({ scope: "tool", name: tool, rule: toolRule });
      const tags = ctx.component?.type === "tool" ? [...ctx.component.tags].sort() : [];
      for (const tag of tags) {
        const rule = perTag.get(tag);
        if (rule) checks.push({ scope: "tag", name: tag, rule });
      }
      if (checks.length === 0) return next();
      const client = clientOf(ctx);
      const decisions = await Promise.all(
        checks.map((c) => check(`${c.scope}:${keyPart(c.name)}:${client}`, c.rule)),
      );
      let refused: { scope: "tool" | "tag"; name: string; retryAfterMs: number } | undefined;
      decisions.forEach((d, i) => {
        const c = checks[i];
        if (d.allowed || !c) return;
        if (!refused || d.retryAfterMs > refused.retryAfterMs) {
          refused = { scope: c.scope, name: c.name, retryAfterMs: d.retryAfterMs };
        }
      });
      if (refused) {
        const { scope, name, retryAfterMs } = refused;
        throw new McpForgeError(
          "rate_limited",
          `Rate limit exceeded for tool "${tool}"; retry in ${seconds(retryAfterMs)} s`,
          { data: scope === "tag" ? { retryAfterMs, scope, tag: name } : { retryAfterMs, scope } },
        );
      }
      return next();
    };
  }

  return limiter;
}
