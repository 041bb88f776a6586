/** HTTP authentication of `auth()`: presented credentials, API keys, JWTs, and who the caller is. */
import { type Context, type ErrorKind, McpForgeError } from "@mcpforge/core";
import { type HttpHook, httpError } from "@mcpforge/core/authoring";
import type { ApiKeyPrincipal, AuthInfo, AuthOptions, AuthVars, Principal } from "../types.js";
import type { ApiKeyOutcome, ApiKeyVerifier } from "./api-keys.js";
import { bearerOf, headerOf, type Presented } from "./http.js";
import { type JwtVerifier, looksLikeJwt } from "./jwt.js";
import { scopeList } from "./requirements.js";
import type { Settings } from "./settings.js";

/** Logs a warning (to the app's logger once `auth()` is set up). */
export type Warn = (msg: string, fields: Record<string, unknown>) => void;

/** What {@link createAuthenticator} gives `auth()`. */
export interface Authenticator {
  /** Checks the credentials of an HTTP request: sets `req.auth`, or answers 401/403/503. */
  onHttpRequest: HttpHook;
  /** The caller of a request, as `onHttpRequest` established it; throws `unauthorized` else. */
  principalOf(ctx: Context<AuthVars>): Principal;
}

/** Where the JWKS lives, for logs: origin and path only (no query string). */
function jwksLocation(url: string | URL | undefined): string | undefined {
  if (url === undefined || !URL.canParse(String(url))) return undefined;
  const u = new URL(String(url));
  return `${u.origin}${u.pathname}`;
}

/**
 * Reports a failed JWKS fetch as a warning naming the JWKS location (never its query string).
 *
 * @example
 * import { resolveSettings } from "./settings.js";
 * const options = {
 *   jwt: {
 *     jwksUrl: "https://login.example.com/.well-known/jwks.json",
 *     issuer: "https://login.example.com/",
 *     audience: "https://mcp.example.com/mcp",
 *   },
 * };
 * const warn = (msg: string, fields: Record<string, unknown>) => console.warn(msg, fields);
 * const settings = resolveSettings(options, jwksFailureReporter(options, warn));
 * // a failed fetch logs: JWKS fetch failed { middleware: "auth", jwks: "https://login.example.com/.well-known/jwks.json", error: … }
 */
export function jwksFailureReporter(options: AuthOptions, warn: Warn): (error: Error) => void {
  return (error) => {
    const cause = (error.cause as { code?: unknown } | undefined)?.code;
    warn("JWKS fetch failed", {
      middleware: "auth",
      jwks: jwksLocation(options.jwt?.jwksUrl),
      error: error.message,
      ...(typeof cause === "string" ? { code: cause } : {}),
    });
  };
}

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
 * it keeps the object fast). It also carries, privately, the principal it stands for and the
 * authenticator that issued it (no per-request WeakMap entry).
 */
class HiddenTokenAuthInfo {
  readonly #token: string;
  readonly #issuer: object;
  readonly #principal: Principal;
  constructor(
    token: string,
    fields: Omit<AuthInfo, "token">,
    issuer: object,
    principal: Principal,
  ) {
    Object.assign(this, fields);
    this.#token = token;
    this.#issuer = issuer;
    this.#principal = principal;
  }
  get token(): string {
    return this.#token;
  }
  /** The principal of `info` when `issuer` made it, else undefined. */
  static principalOf(info: AuthInfo, issuer: object): Principal | undefined {
    return info instanceof HiddenTokenAuthInfo && info.#issuer === issuer
      ? info.#principal
      : undefined;
  }
}

function authInfo(
  token: string,
  fields: Omit<AuthInfo, "token">,
  issuer: object,
  principal: Principal,
): AuthInfo {
  return new HiddenTokenAuthInfo(token, fields, issuer, principal) as unknown as AuthInfo;
}

/**
 * Builds the HTTP authentication of one `auth()`: reads the presented credentials, verifies
 * API keys and JWTs, answers 401 (missing or invalid), 403 (a JWT lacking
 * `jwt.requiredScopes`) or 503 (credentials cannot be checked: fail closed), and otherwise
 * sets `req.auth` (token hidden, API keys never copied) and records its principal.
 *
 * @example
 * import { bindChallenges } from "../scopes.js";
 * import { resolveSettings } from "./settings.js";
 * const keys = { k_live_0123456789abcdef: { clientId: "ci", scopes: ["mcp"] } };
 * const settings = resolveSettings({ apiKeys: { keys } }, (err) => console.warn(err.message));
 * const authn = createAuthenticator(settings, console.warn, (principal) =>
 *   bindChallenges(principal, settings.challenges),
 * );
 * app.useHttp(authn.onHttpRequest);
 */
export function createAuthenticator(
  s: Settings,
  warn: Warn,
  onIssue: (principal: Principal) => void,
): Authenticator {
  /** Identifies the AuthInfo objects this authenticator made. */
  const issuer = {};
  const trustedPrincipals = new Map<string, Principal>();
  /** The principal of each key of a static table, made once (frozen, shared by its requests). */
  const keyPrincipals = new WeakMap<ApiKeyPrincipal, Principal>();
  const apiKeyPrincipal = (p: ApiKeyPrincipal): Principal => {
    let principal = Object.isFrozen(p) ? keyPrincipals.get(p) : undefined;
    if (principal) return principal;
    principal = Object.freeze({
      method: "api-key",
      clientId: p.clientId,
      subject: p.subject,
      scopes: new Set(p.scopes),
      trusted: false,
      expiresAt: undefined,
      claims: undefined,
    });
    onIssue(principal);
    // A lookup function's answers are fresh objects: only the static table's are kept.
    if (Object.isFrozen(p)) keyPrincipals.set(p, principal);
    return principal;
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

  const apiKeyAuth = (p: ApiKeyPrincipal): AuthInfo => {
    const fields: Omit<AuthInfo, "token"> = {
      clientId: p.clientId,
      scopes: [...p.scopes],
      extra: { method: "api-key", ...(p.subject === undefined ? {} : { subject: p.subject }) },
    };
    if (s.resource) fields.resource = new URL(s.resource.href);
    // The key itself is a long-lived secret: it is never copied onto ctx.auth.
    return authInfo("", fields, issuer, apiKeyPrincipal(p));
  };
  /**
   * The `ctx.auth` of each key of a static table, made once and frozen (its scopes and extra
   * too), so its requests share it and core's `principalKey()` computes its key once. Not with
   * `resource`: a URL object stays mutable when frozen, so each request gets its own.
   */
  const keyAuths = new WeakMap<ApiKeyPrincipal, AuthInfo>();
  const sharedApiKeyAuth = (p: ApiKeyPrincipal): AuthInfo => {
    if (s.resource || !Object.isFrozen(p)) return apiKeyAuth(p);
    let info = keyAuths.get(p);
    if (!info) {
      info = apiKeyAuth(p);
      Object.freeze(info.scopes);
      Object.freeze(info.extra);
      keyAuths.set(p, Object.freeze(info));
    }
    return info;
  };

  const acceptApiKey = (
    req: Parameters<HttpHook>[0],
    res: Parameters<HttpHook>[1],
    outcome: ApiKeyOutcome,
  ): boolean | undefined => {
    if (!outcome.ok) {
      if (outcome.reason === "invalid") return refuse401(res, DESCRIPTIONS.apiKey);
      warn("API key lookup failed", {
        middleware: "auth",
        error: outcome.error?.message,
      });
      return refuse503(res);
    }
    req.auth = sharedApiKeyAuth(outcome.principal);
    return undefined;
  };

  // Synchronous when the API key is verified synchronously (a static table): core awaits a
  // hook only when it returns a promise.
  const onHttpRequest: HttpHook = (
    req,
    res,
  ): boolean | undefined | Promise<boolean | undefined> => {
    // Whatever an earlier layer set, only credentials checked here count.
    req.auth = undefined;
    const presented = presentedBy(req);
    if (presented.kind === "none") return refuse401(res);
    if (presented.kind === "malformed") return refuse401(res, DESCRIPTIONS.malformed);
    if (presented.kind === "api-key") {
      const verified = (s.apiKeys as ApiKeyVerifier).verify(presented.value);
      return verified instanceof Promise
        ? verified.then((outcome): boolean | undefined => acceptApiKey(req, res, outcome))
        : acceptApiKey(req, res, verified);
    }
    return acceptJwt(req, res, presented.value);
  };

  const acceptJwt = async (
    req: Parameters<HttpHook>[0],
    res: Parameters<HttpHook>[1],
    token: string,
  ): Promise<boolean | undefined> => {
    const outcome = await (s.jwt as JwtVerifier).verify(token);
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
        `Forbidden: the access token lacks the scope${s2} ${scopeList(lacking)}`,
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
    const principal: Principal = {
      method: "jwt",
      clientId: outcome.clientId,
      subject: outcome.subject,
      scopes: held,
      trusted: false,
      expiresAt: fields.expiresAt,
      claims: outcome.payload,
    };
    onIssue(principal);
    req.auth = authInfo(token, fields, issuer, principal);
    return undefined;
  };

  const principalOf = (ctx: Context<AuthVars>): Principal => {
    const known = ctx.auth ? HiddenTokenAuthInfo.principalOf(ctx.auth, issuer) : undefined;
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

  return { onHttpRequest, principalOf };
}
