import { checkOptionsObject } from "../../internal/options.js";
import type { AuthOptions } from "../types.js";
import { ApiKeyVerifier, isPrincipal } from "./api-keys.js";
import { Challenges, METADATA_PATH } from "./http.js";
import { JwtVerifier } from "./jwt.js";
import {
  checkAlgorithms,
  checkHttpUrl,
  checkJwksUrl,
  checkObject,
  checkScopeRecord,
  checkScopes,
  checkSeconds,
  checkString,
  fail,
  isObject,
} from "./options.js";
import { ComponentIndex, Requirements } from "./requirements.js";

/** The checked options of one `auth()`, with its verifiers built. */
export interface Settings {
  apiKeys: ApiKeyVerifier | undefined;
  apiKeyHeader: "x-api-key" | "authorization";
  jwt: JwtVerifier | undefined;
  requiredScopes: readonly string[];
  resource: URL | undefined;
  metadata: Record<string, unknown> | undefined;
  requirements: Requirements;
  trusted: ReadonlySet<string>;
  challenges: Challenges;
  retryAfterSec: number;
}

/**
 * Checks the options of `auth()` (throwing a plain `Error` naming the package) and builds
 * what the middleware runs on.
 *
 * @example
 * const settings = resolveSettings(
 *   { apiKeys: { keys: { "k_live_0123456789abcdef": { clientId: "ci", scopes: ["mcp"] } } } },
 *   (err) => console.error("JWKS fetch failed:", err.message),
 * );
 */
export function resolveSettings(
  options: AuthOptions,
  onJwksFailure: (error: Error) => void,
): Settings {
  const opts = checkOptionsObject("auth", options as AuthOptions | undefined);
  if (options === undefined || (opts.apiKeys === undefined && opts.jwt === undefined)) {
    throw fail("configure apiKeys, jwt, or both");
  }
  checkObject("apiKeys", opts.apiKeys);
  checkObject("jwt", opts.jwt);
  checkObject("require", opts.require);

  let apiKeys: ApiKeyVerifier | undefined;
  const apiKeyHeader = opts.apiKeys?.header ?? "x-api-key";
  if (opts.apiKeys) {
    if (apiKeyHeader !== "x-api-key" && apiKeyHeader !== "authorization") {
      throw fail('apiKeys.header must be "x-api-key" or "authorization"');
    }
    const keys = opts.apiKeys.keys;
    if (typeof keys !== "function") {
      if (!isObject(keys) || Object.keys(keys).length === 0) {
        throw fail(
          "apiKeys.keys must be a non-empty object of key → { clientId, scopes }, or a function",
        );
      }
      Object.entries(keys).forEach(([key, principal], i) => {
        if (key.length < 16)
          throw fail(`apiKeys.keys: key #${i + 1} is shorter than 16 characters`);
        if (!isPrincipal(principal)) {
          throw fail(
            `apiKeys.keys: key #${i + 1} must map to { clientId: string, scopes: string[], subject?: string }`,
          );
        }
        checkScopes(`apiKeys.keys (key #${i + 1}).scopes`, principal.scopes);
      });
    }
    apiKeys = new ApiKeyVerifier(keys);
  }

  let jwt: JwtVerifier | undefined;
  let requiredScopes: readonly string[] = [];
  if (opts.jwt) {
    const j = opts.jwt;
    const jwksUrl = checkJwksUrl(j.jwksUrl);
    const issuer = checkString("jwt.issuer", j.issuer);
    const audience = checkString("jwt.audience", j.audience);
    const algorithms = checkAlgorithms(j.algorithms);
    checkSeconds("jwt.clockToleranceSec", j.clockToleranceSec, 0, 300);
    checkSeconds("jwt.jwksCooldownSec", j.jwksCooldownSec, 0, 3600);
    checkSeconds("jwt.jwksCacheMaxAgeSec", j.jwksCacheMaxAgeSec, 1, 86_400);
    checkSeconds("jwt.jwksTimeoutSec", j.jwksTimeoutSec, 0.1, 60);
    const cooldownSec = j.jwksCooldownSec ?? 30;
    const maxAgeSec = j.jwksCacheMaxAgeSec ?? 600;
    if (maxAgeSec < cooldownSec) {
      throw fail("jwt.jwksCacheMaxAgeSec must be at least jwt.jwksCooldownSec");
    }
    if (j.requiredScopes !== undefined)
      requiredScopes = checkScopes("jwt.requiredScopes", j.requiredScopes);
    jwt = new JwtVerifier(
      {
        jwksUrl,
        issuer,
        audience,
        algorithms,
        clockToleranceSec: j.clockToleranceSec ?? 30,
        cooldownMs: cooldownSec * 1000,
        maxAgeMs: maxAgeSec * 1000,
        timeoutMs: (j.jwksTimeoutSec ?? 5) * 1000,
      },
      onJwksFailure,
    );
  }

  const rules = {
    tools: checkScopeRecord("require.tools", opts.require?.tools),
    tags: checkScopeRecord("require.tags", opts.require?.tags),
    resources: checkScopeRecord("require.resources", opts.require?.resources),
    prompts: checkScopeRecord("require.prompts", opts.require?.prompts),
  };
  const requirements = new Requirements(rules, new ComponentIndex());

  const trustedList = opts.allowUnauthenticatedTransports ?? [];
  if (!Array.isArray(trustedList) || trustedList.some((t) => typeof t !== "string" || t === "")) {
    throw fail("allowUnauthenticatedTransports must be an array of transport names");
  }
  if (trustedList.includes("http")) {
    throw fail(
      'allowUnauthenticatedTransports cannot hold "http": HTTP requests are always authenticated',
    );
  }

  let resource: URL | undefined;
  if (opts.resource !== undefined) resource = checkHttpUrl("resource", opts.resource);
  else if (opts.jwt) {
    const audience = URL.canParse(opts.jwt.audience) ? new URL(opts.jwt.audience) : undefined;
    if (audience?.protocol !== "https:" && audience?.protocol !== "http:") {
      throw fail("jwt.audience is not an http(s) URL: set resource to this server's resource URL");
    }
    resource = checkHttpUrl("jwt.audience (used as resource)", opts.jwt.audience);
  }
  const resourceText = opts.resource ?? opts.jwt?.audience;

  let metadata: Record<string, unknown> | undefined;
  if (resource && resourceText !== undefined) {
    const servers = opts.authorizationServers ?? (opts.jwt ? [opts.jwt.issuer] : []);
    if (!Array.isArray(servers)) throw fail("authorizationServers must be an array of URLs");
    for (const [i, server] of servers.entries()) checkHttpUrl(`authorizationServers[${i}]`, server);
    const supported =
      opts.scopesSupported === undefined
        ? [...new Set([...requiredScopes, ...requirements.allScopes()])]
        : checkScopes("scopesSupported", opts.scopesSupported);
    metadata = { resource: resourceText };
    if (servers.length > 0) metadata.authorization_servers = [...servers];
    if (supported.length > 0) metadata.scopes_supported = [...supported];
    metadata.bearer_methods_supported = ["header"];
    if (opts.resourceName !== undefined) {
      metadata.resource_name = checkString("resourceName", opts.resourceName);
    }
  } else if (opts.authorizationServers !== undefined || opts.resourceName !== undefined) {
    throw fail("authorizationServers and resourceName need resource (or jwt)");
  }

  const scheme = opts.jwt || apiKeyHeader === "authorization" ? "Bearer" : "ApiKey";
  const metadataUrl = resource ? `${resource.origin}${METADATA_PATH}` : undefined;
  return {
    apiKeys,
    apiKeyHeader,
    jwt,
    requiredScopes,
    resource,
    metadata,
    requirements,
    trusted: new Set(trustedList),
    challenges: new Challenges(scheme, metadataUrl, requiredScopes),
    retryAfterSec: Math.max(1, Math.ceil(opts.jwt?.jwksCooldownSec ?? 30)),
  };
}
