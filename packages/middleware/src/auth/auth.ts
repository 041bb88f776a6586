import {
  type Context,
  type ErrorKind,
  McpForgeError,
  type MiddlewareFn,
  type MiddlewareHooks,
  type ServerLogger,
  type Vars,
} from "@mcpforge/core";
import { type HttpHook, httpError } from "@mcpforge/core/authoring";
import type { ApiKeyVerifier } from "./internal/api-keys.js";
import {
  bearerOf,
  type Challenges,
  headerOf,
  METADATA_PATH,
  type Presented,
} from "./internal/http.js";
import { type JwtVerifier, looksLikeJwt } from "./internal/jwt.js";
import { isObject } from "./internal/options.js";
import { missingScopes, type Need } from "./internal/requirements.js";
import { resolveSettings } from "./internal/settings.js";

import type { AuthInfo, AuthOptions, AuthVars, Principal } from "./types.js";

/** The `insufficient_scope` challenge of the `auth()` that made a principal. */
const challengesOf = new WeakMap<Principal, Challenges>();

/** Answers an HTTP request with a JSON-RPC error that no cache may keep. */
function refuse(
  res: Parameters<HttpHook>[1],
  status: number,
  kind: ErrorKind,
  message: string,
  headers: Record<string, string>,
): void {
  httpError(res, status, kind, message, { headers: { ...headers, "cache-control": "no-store" } });
}

function listOf(scopes: readonly string[]): string {
  return scopes.map((s) => `"${s}"`).join(", ");
}

function forbidden(
  ctx: Context,
  what: string,
  need: Need,
  missing: string[] | undefined,
  principal: Principal,
): McpForgeError {
  const challenges = challengesOf.get(principal);
  if (challenges && need.scopes.length > 0) {
    ctx.setResponseHeader("www-authenticate", challenges.insufficientScope(need.scopes));
  }
  if (missing === undefined) {
    return new McpForgeError(
      "forbidden",
      `Forbidden: the scopes needed for ${what} cannot be determined`,
    );
  }
  const s = missing.length > 1 ? "s" : "";
  return new McpForgeError(
    "forbidden",
    `Forbidden: ${what} requires the scope${s} ${listOf(missing)}, which the caller does not have`,
    { data: { missingScopes: missing } },
  );
}

/**
 * Refuses the request unless its caller holds every one of `scopes` (an allowed
 * unauthenticated transport holds them all). Throws `McpForgeError("forbidden")` naming the
 * missing scopes, or `"unauthorized"` when `auth()` did not authenticate the request.
 *
 * @example
 * import { requireScopes } from "@mcpforge/middleware/auth";
 * app.tool("delete_user", { description: "Deletes a user", input: { id: z.string() } }, ({ id }, ctx) => {
 *   requireScopes(ctx, "users:write");
 *   return `deleted ${id}`;
 * });
 */
export function requireScopes<V extends Vars>(ctx: Context<V>, ...scopes: string[]): void {
  const principal = (ctx.var as Partial<AuthVars>).principal;
  if (!principal) {
    throw new McpForgeError(
      "unauthorized",
      "Unauthorized: this request has no authenticated caller (add auth() before the handlers)",
    );
  }
  if (principal.trusted) return;
  const need: Need = { scopes, unknownTags: false };
  const missing = missingScopes(need, principal.scopes) ?? [];
  if (missing.length > 0) {
    throw forbidden(ctx as unknown as Context, "this operation", need, missing, principal);
  }
}

/** Where the JWKS lives, for logs: origin and path only (no query string). */
function jwksLocation(url: string | URL | undefined): string | undefined {
  if (url === undefined || !URL.canParse(String(url))) return undefined;
  const u = new URL(String(url));
  return `${u.origin}${u.pathname}`;
}

const DESCRIPTIONS = {
  expired: "The access token expired",
  not_yet_valid: "The access token is not valid yet",
  invalid: "The access token is invalid",
  malformed: "The Authorization header is malformed",
  apiKey: "The API key is invalid",
} as const;

/**
 * An `AuthInfo` whose `token` is a getter on the prototype, not an own enumerable property:
 * `JSON.stringify`, spreads and loggers skip it (and, unlike `defineProperty` on each object,
 * it keeps the object fast).
 */
class HiddenTokenAuthInfo {
  readonly #token: string;
  constructor(token: string, fields: Omit<AuthInfo, "token">) {
    Object.assign(this, fields);
    this.#token = token;
  }
  get token(): string {
    return this.#token;
  }
}

function authInfo(token: string, fields: Omit<AuthInfo, "token">): AuthInfo {
  return new HiddenTokenAuthInfo(token, fields) as unknown as AuthInfo;
}

/**
 * Authenticates HTTP requests — API keys, OAuth 2.1 bearer JWTs verified against the
 * authorization server's JWKS, or both — and authorizes MCP operations by scope.
 *
 * - Every request to the MCP endpoint needs credentials: missing or invalid ones get HTTP 401
 *   with `WWW-Authenticate: Bearer resource_metadata="…"` (plus `error="invalid_token"` when
 *   credentials were presented); a JWT lacking one of `jwt.requiredScopes` gets 403
 *   `insufficient_scope`; an unreachable JWKS gets 503 (fail closed).
 * - The caller becomes `ctx.auth` (an SDK `AuthInfo`; its `token` is not enumerable, and API
 *   keys are never copied there) and `ctx.var.principal`; core binds each stateful session to it.
 * - `/.well-known/oauth-protected-resource` serves the RFC 9728 metadata.
 * - `require` filters list results and refuses calls (`McpForgeError("forbidden")`) by scope.
 * - HTTP only: requests over other transports are refused unless their transport is listed in
 *   `allowUnauthenticatedTransports`.
 *
 * @example
 * import { auth } from "@mcpforge/middleware/auth";
 * const app = createServer({ name: "secure", version: "1.0.0" }).use(
 *   auth({
 *     jwt: {
 *       jwksUrl: "https://login.example.com/.well-known/jwks.json",
 *       issuer: "https://login.example.com/",
 *       audience: "https://mcp.example.com/mcp",
 *       requiredScopes: ["mcp"],
 *     },
 *     require: { tags: { admin: ["mcp:admin"] } },
 *   }),
 * );
 * await app.listen({ host: "0.0.0.0", port: 3000 });
 */
export function auth(options: AuthOptions): MiddlewareHooks<AuthVars> {
  let logger: Pick<ServerLogger, "warn"> | undefined;
  const warn = (msg: string, fields: Record<string, unknown>) => logger?.warn(msg, fields);
  const s = resolveSettings(options, (error) => {
    const cause = (error.cause as { code?: unknown } | undefined)?.code;
    warn("JWKS fetch failed", {
      middleware: "auth",
      jwks: jwksLocation(options.jwt?.jwksUrl),
      error: error.message,
      ...(typeof cause === "string" ? { code: cause } : {}),
    });
  });
  const { requirements } = s;
  const issued = new WeakMap<AuthInfo, Principal>();
  const trustedPrincipals = new Map<string, Principal>();
  const issue = (info: AuthInfo, principal: Principal) => {
    issued.set(info, principal);
    challengesOf.set(principal, s.challenges);
  };

  const refuse401 = (res: Parameters<HttpHook>[1], description?: string) => {
    const challenge =
      description === undefined ? s.challenges.missing() : s.challenges.invalid(description);
    refuse(res, 401, "unauthorized", `Unauthorized: ${description ?? "credentials required"}`, {
      "www-authenticate": challenge,
    });
    return true;
  };
  const refuse503 = (res: Parameters<HttpHook>[1]) => {
    refuse(
      res,
      503,
      "unavailable",
      "Unavailable: credentials cannot be checked right now; retry later",
      {
        "retry-after": String(s.retryAfterSec),
      },
    );
    return true;
  };

  const presentedBy = (req: Parameters<HttpHook>[0]): Presented => {
    if (s.apiKeys && s.apiKeyHeader === "x-api-key") {
      const key = headerOf(req, "x-api-key");
      if (key !== undefined) return { kind: "api-key", value: key };
    }
    const bearer = bearerOf(headerOf(req, "authorization"));
    if (bearer.kind !== "bearer")
      return s.jwt || s.apiKeyHeader === "authorization" ? bearer : { kind: "none" };
    if (s.apiKeys && s.apiKeyHeader === "authorization" && !(s.jwt && looksLikeJwt(bearer.value))) {
      return { kind: "api-key", value: bearer.value };
    }
    return s.jwt ? bearer : { kind: "none" };
  };

  const onHttpRequest: HttpHook = async (req, res) => {
    // Whatever an earlier layer set, only credentials checked here count.
    req.auth = undefined;
    const presented = presentedBy(req);
    if (presented.kind === "none") return refuse401(res);
    if (presented.kind === "malformed") return refuse401(res, DESCRIPTIONS.malformed);
    if (presented.kind === "api-key") {
      const outcome = await (s.apiKeys as ApiKeyVerifier).verify(presented.value);
      if (!outcome.ok) {
        if (outcome.reason === "invalid") return refuse401(res, DESCRIPTIONS.apiKey);
        warn("API key lookup failed", {
          middleware: "auth",
          error: outcome.error?.message,
        });
        return refuse503(res);
      }
      const p = outcome.principal;
      const fields: Omit<AuthInfo, "token"> = {
        clientId: p.clientId,
        scopes: [...p.scopes],
        extra: { method: "api-key", ...(p.subject === undefined ? {} : { subject: p.subject }) },
      };
      if (s.resource) fields.resource = new URL(s.resource.href);
      // The key itself is a long-lived secret: it is never copied onto ctx.auth.
      const info = authInfo("", fields);
      issue(info, {
        method: "api-key",
        clientId: p.clientId,
        subject: p.subject,
        scopes: new Set(p.scopes),
        trusted: false,
        expiresAt: undefined,
        claims: undefined,
      });
      req.auth = info;
      return undefined;
    }
    const outcome = await (s.jwt as JwtVerifier).verify(presented.value);
    if (!outcome.ok) {
      if (outcome.reason === "unavailable") return refuse503(res);
      return refuse401(res, DESCRIPTIONS[outcome.reason]);
    }
    const held = new Set(outcome.scopes);
    const lacking = s.requiredScopes.filter((scope) => !held.has(scope));
    if (lacking.length > 0) {
      const s2 = lacking.length > 1 ? "s" : "";
      refuse(
        res,
        403,
        "forbidden",
        `Forbidden: the access token lacks the scope${s2} ${listOf(lacking)}`,
        { "www-authenticate": s.challenges.insufficientScope(s.requiredScopes) },
      );
      return true;
    }
    const fields: Omit<AuthInfo, "token"> = {
      clientId: outcome.clientId,
      scopes: outcome.scopes,
      extra: {
        method: "jwt",
        issuer: outcome.payload.iss,
        claims: outcome.payload,
        ...(outcome.subject === undefined ? {} : { subject: outcome.subject }),
      },
    };
    if (typeof outcome.payload.exp === "number") fields.expiresAt = outcome.payload.exp;
    if (s.resource) fields.resource = new URL(s.resource.href);
    const info = authInfo(presented.value, fields);
    issue(info, {
      method: "jwt",
      clientId: outcome.clientId,
      subject: outcome.subject,
      scopes: held,
      trusted: false,
      expiresAt: fields.expiresAt,
      claims: outcome.payload,
    });
    req.auth = info;
    return undefined;
  };

  const principalOf = (ctx: Context<AuthVars>): Principal => {
    const known = ctx.auth ? issued.get(ctx.auth) : undefined;
    if (known) return known;
    if (!ctx.auth && ctx.transport !== "http" && s.trusted.has(ctx.transport)) {
      let p = trustedPrincipals.get(ctx.transport);
      if (!p) {
        p = {
          method: "transport",
          clientId: ctx.transport,
          subject: undefined,
          scopes: new Set(),
          trusted: true,
          expiresAt: undefined,
          claims: undefined,
        };
        trustedPrincipals.set(ctx.transport, p);
      }
      return p;
    }
    if (ctx.transport === "http" || ctx.auth) {
      throw new McpForgeError(
        "unauthorized",
        "Unauthorized: the request's credentials were not verified by auth()",
      );
    }
    throw new McpForgeError(
      "unauthorized",
      `Unauthorized: auth() reads credentials from HTTP headers, so requests over the "${ctx.transport}" transport are refused (allow them with allowUnauthenticatedTransports)`,
    );
  };

  /** Runs `check` (which throws to refuse) for callers that scope rules apply to. */
  const guarded =
    (check: (ctx: Context<AuthVars>, principal: Principal) => void): MiddlewareFn<AuthVars> =>
    async (ctx, next) => {
      const principal = ctx.var.principal ?? principalOf(ctx);
      if (!principal.trusted && requirements.any) check(ctx, principal);
      return next();
    };

  const enforce = (ctx: Context<AuthVars>, principal: Principal, what: string, need: Need) => {
    const missing = missingScopes(need, principal.scopes);
    if (missing === undefined || missing.length > 0) {
      throw forbidden(ctx as unknown as Context, what, need, missing, principal);
    }
  };

  const allowed = (principal: Principal, need: Need) => {
    const missing = missingScopes(need, principal.scopes);
    return missing !== undefined && missing.length === 0;
  };

  /** Keeps the items of one list page the caller may use (the cursor is left as is). */
  const filtered =
    (field: string, needOf: (item: Record<string, unknown>) => Need): MiddlewareFn<AuthVars> =>
    async (ctx, next) => {
      const principal = ctx.var.principal ?? principalOf(ctx);
      const result = await next();
      if (principal.trusted || !requirements.any) return result;
      if (!isObject(result) || !Array.isArray(result[field])) return result;
      const items = (result[field] as unknown[]).filter(
        (item) => isObject(item) && allowed(principal, needOf(item)),
      );
      return { ...result, [field]: items };
    };

  const str = (v: unknown) => (typeof v === "string" ? v : "");

  return {
    name: "auth",
    onHttpRequest,
    setup(app) {
      logger = app.logger;
      app.declareAuthentication();
      if (requirements.any) requirements.index.attach(app);
      if (s.metadata && s.resource) {
        const body = JSON.stringify(s.metadata);
        const serve = (_req: unknown, res: Parameters<HttpHook>[1]) => {
          res.writeHead(200, {
            "content-type": "application/json",
            "cache-control": "public, max-age=3600",
          });
          res.end(body);
        };
        app.route("GET", METADATA_PATH, serve);
        const path = s.resource.pathname.replace(/\/+$/, "");
        if (path !== "") app.route("GET", `${METADATA_PATH}${path}`, serve);
      }
    },
    onRequest: async (ctx, next) => {
      const principal = principalOf(ctx);
      ctx.var.principal = principal;
      if (ctx.method === "resources/subscribe" && !principal.trusted && requirements.any) {
        const uri = str(ctx.params.uri);
        enforce(ctx, principal, `resource "${uri}"`, requirements.uri(uri));
      }
      return next();
    },
    onListTools: filtered("tools", (t) => requirements.tool(str(t.name))),
    onListPrompts: filtered("prompts", (p) => requirements.prompt(str(p.name))),
    onListResources: filtered("resources", (r) =>
      requirements.resource(str(r.uri), str(r.name) || undefined),
    ),
    onListResourceTemplates: filtered("resourceTemplates", (t) =>
      requirements.template(str(t.uriTemplate), str(t.name) || undefined),
    ),
    onCallTool: guarded((ctx, principal) => {
      const c = ctx.component;
      if (c?.type !== "tool") return; // unknown or disabled: core answers "Unknown tool"
      enforce(ctx, principal, `tool "${c.name}"`, requirements.tool(c.name, c.tags));
    }),
    onGetPrompt: guarded((ctx, principal) => {
      const c = ctx.component;
      if (c?.type !== "prompt") return;
      enforce(ctx, principal, `prompt "${c.name}"`, requirements.prompt(c.name, c.tags));
    }),
    onReadResource: guarded((ctx, principal) => {
      const c = ctx.component;
      if (c?.type === "resource") {
        const uri = str(ctx.params.uri);
        enforce(ctx, principal, `resource "${uri}"`, requirements.resource(uri, c.name, c.tags));
      } else if (c?.type === "template") {
        enforce(
          ctx,
          principal,
          `resource template "${c.name}"`,
          requirements.templateNamed(c.name, c.tags),
        );
      }
    }),
    onComplete: guarded((ctx, principal) => {
      const ref = isObject(ctx.params.ref) ? ctx.params.ref : {};
      if (ref.type === "ref/prompt") {
        const name = str(ref.name);
        enforce(ctx, principal, `prompt "${name}"`, requirements.prompt(name));
      } else if (ref.type === "ref/resource") {
        const uri = str(ref.uri);
        const need = requirements.index.templates.has(uri)
          ? requirements.template(uri, undefined)
          : requirements.resource(uri, undefined);
        enforce(ctx, principal, `resource "${uri}"`, need);
      }
    }),
  };
}
