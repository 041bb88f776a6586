import type { MiddlewareHooks, ServerLogger } from "@mcpforge/core";
import type { HttpHook } from "@mcpforge/core/authoring";
import { createAuthenticator, jwksFailureReporter } from "./internal/authenticate.js";
import { METADATA_PATH } from "./internal/http.js";
import { resolveSettings } from "./internal/settings.js";
import { bindChallenges, scopeEnforcement } from "./scopes.js";
import type { AuthOptions, AuthVars } from "./types.js";

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
  const s = resolveSettings(options, jwksFailureReporter(options, warn));
  const { requirements } = s;
  const authn = createAuthenticator(s, warn, (principal) =>
    bindChallenges(principal, s.challenges),
  );
  const { checkRequest, ...scopeHooks } = scopeEnforcement(requirements, authn.principalOf);

  return {
    name: "auth",
    onHttpRequest: authn.onHttpRequest,
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
    // No async frame: a refusal thrown here becomes a rejection in core's middleware runner.
    onRequest: (ctx, next) => {
      const principal = authn.principalOf(ctx);
      ctx.var.principal = principal;
      checkRequest(ctx, principal);
      return next();
    },
    // Without per-component rules the scope hooks have nothing to check or filter: leaving them
    // out saves every call a layer of the onion.
    ...(requirements.any ? scopeHooks : {}),
  };
}
