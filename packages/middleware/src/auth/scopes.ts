/** Scope enforcement of `auth()`: `requireScopes`, list filtering and the per-operation guards. */
import { type Context, McpForgeError, type MiddlewareFn, type Vars } from "@mcpforge/core";
import type { Challenges } from "./internal/http.js";
import { isObject } from "./internal/options.js";
import { missingScopes, type Need, type Requirements, scopeList } from "./internal/requirements.js";
import type { AuthVars, Principal } from "./types.js";

/** The `insufficient_scope` challenge of the `auth()` that made a principal. */
const challengesOf = new WeakMap<Principal, Challenges>();

/**
 * Records the challenges of the `auth()` that issued `principal`, so a refusal tells the
 * client (`WWW-Authenticate: … error="insufficient_scope"`) which scopes to ask for.
 *
 * @example
 * import { createAuthenticator } from "./internal/authenticate.js";
 * import { resolveSettings } from "./internal/settings.js";
 * const keys = { k_live_0123456789abcdef: { clientId: "ci", scopes: ["mcp"] } };
 * const settings = resolveSettings({ apiKeys: { keys } }, (err) => console.warn(err.message));
 * // As auth() does: every principal its authenticator issues gets that auth()'s challenges.
 * const authn = createAuthenticator(settings, console.warn, (principal) =>
 *   bindChallenges(principal, settings.challenges),
 * );
 */
export function bindChallenges(principal: Principal, challenges: Challenges): void {
  challengesOf.set(principal, challenges);
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
    `Forbidden: ${what} requires the scope${s} ${scopeList(missing)}, which the caller does not have`,
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

/** The hooks {@link scopeEnforcement} contributes to `auth()`. */
export interface ScopeEnforcement {
  /** Refuses a `resources/subscribe` to a resource the caller may not read. */
  checkRequest(ctx: Context<AuthVars>, principal: Principal): void;
  onListTools: MiddlewareFn<AuthVars>;
  onListPrompts: MiddlewareFn<AuthVars>;
  onListResources: MiddlewareFn<AuthVars>;
  onListResourceTemplates: MiddlewareFn<AuthVars>;
  onCallTool: MiddlewareFn<AuthVars>;
  onGetPrompt: MiddlewareFn<AuthVars>;
  onReadResource: MiddlewareFn<AuthVars>;
  onComplete: MiddlewareFn<AuthVars>;
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

/**
 * Applies `require` (the per-component scope rules of `auth()`): list results keep only what
 * the caller may use, and calls, reads, prompt gets and completions of the rest are refused
 * with `McpForgeError("forbidden")`. Trusted callers (allowed unauthenticated transports) pass.
 *
 * @example
 * import { createAuthenticator } from "./internal/authenticate.js";
 * import { resolveSettings } from "./internal/settings.js";
 * const keys = { k_live_0123456789abcdef: { clientId: "ci", scopes: ["mcp"] } };
 * const settings = resolveSettings(
 *   { apiKeys: { keys }, require: { tools: { delete_user: ["users:write"] } } },
 *   (err) => console.warn(err.message),
 * );
 * const authn = createAuthenticator(settings, console.warn, () => {});
 * const scopes = scopeEnforcement(settings.requirements, authn.principalOf);
 * const hooks = { onCallTool: scopes.onCallTool, onListTools: scopes.onListTools };
 */
export function scopeEnforcement(
  requirements: Requirements,
  principalOf: (ctx: Context<AuthVars>) => Principal,
): ScopeEnforcement {
  /** Runs `check` (which throws to refuse) for callers that scope rules apply to. */
  const guarded =
    (check: (ctx: Context<AuthVars>, principal: Principal) => void): MiddlewareFn<AuthVars> =>
    (ctx, next) => {
      // No async frame: a refusal thrown here becomes a rejection in core's middleware runner.
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

  return {
    checkRequest(ctx, principal) {
      if (ctx.method === "resources/subscribe" && !principal.trusted && requirements.any) {
        const uri = str(ctx.params.uri);
        enforce(ctx, principal, `resource "${uri}"`, requirements.uri(uri));
      }
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
