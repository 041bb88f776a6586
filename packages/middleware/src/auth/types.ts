/** The public types of `auth()`: options, the principal it establishes, and the vars it adds. */
import type { Context } from "@mcpforge/core";
import type { JWTPayload } from "jose";

/** The signature algorithms `auth()` accepts for JWTs: asymmetric only (a JWKS holds public keys). */
export const ASYMMETRIC_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;

/** A JWS algorithm `auth()` accepts. */
export type JwtAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** Who an API key belongs to. */
export interface ApiKeyPrincipal {
  /** The client the key was issued to (shown as `ctx.auth.clientId`). */
  clientId: string;
  /** What the key may do. */
  scopes: readonly string[];
  /** The user behind the client, when there is one (sessions are bound to it, else to `clientId`). */
  subject?: string;
}

/** Looks a presented key up; returns `undefined` for an unknown key. */
export type ApiKeyLookup = (
  key: string,
) => ApiKeyPrincipal | undefined | Promise<ApiKeyPrincipal | undefined>;

/** The SDK's `AuthInfo`, as core types `ctx.auth` (the SDK is core's dependency, not ours). */
export type AuthInfo = NonNullable<Context["auth"]>;

/** API keys: a static table (compared in constant time) or your own lookup. */
export interface ApiKeyOptions {
  /**
   * Where clients send the key: the `x-api-key` header (default), or `authorization` as
   * `Authorization: Bearer <key>` (then a bearer value shaped like a JWT goes to `jwt` when
   * that is configured too).
   */
  header?: "x-api-key" | "authorization";
  /**
   * Keys (at least 16 characters each) and who they belong to, or a function looking a key up
   * (return `undefined` for an unknown key; a throw answers 503).
   */
  keys: Readonly<Record<string, ApiKeyPrincipal>> | ApiKeyLookup;
}

/** OAuth 2.1 bearer JWTs verified against the authorization server's JWKS. */
export interface JwtOptions {
  /** The authorization server's JWKS URL (https; http only on loopback). */
  jwksUrl: string | URL;
  /** The expected `iss` claim. */
  issuer: string;
  /** The expected `aud` claim: this server's resource URL (RFC 8707), e.g. `https://mcp.example.com/mcp`. */
  audience: string;
  /** Accepted signature algorithms (default RS256, ES256, PS256, EdDSA); never `none` or `HS*`. */
  algorithms?: readonly JwtAlgorithm[];
  /** Clock skew tolerated on `exp`/`nbf`, in seconds (default 30, at most 300). */
  clockToleranceSec?: number;
  /** Scopes every token must carry; otherwise the request gets HTTP 403 `insufficient_scope`. */
  requiredScopes?: readonly string[];
  /** After a JWKS fetch, no other fetch (e.g. for an unknown `kid`) for this long (default 30 s). */
  jwksCooldownSec?: number;
  /** Cached keys are refetched after this long (default 600 s; at least the cool-down). */
  jwksCacheMaxAgeSec?: number;
  /** Time limit of one JWKS fetch (default 5 s). */
  jwksTimeoutSec?: number;
}

/**
 * Scopes needed per component. Rules add up: a component needs the scopes of its name's
 * entry and of each of its tags' entries.
 */
export interface ScopeRequirements {
  /** By tool name. */
  tools?: Readonly<Record<string, readonly string[]>>;
  /** By component tag (tools, resources, templates, prompts). */
  tags?: Readonly<Record<string, readonly string[]>>;
  /** By resource URI, URI template, or name. */
  resources?: Readonly<Record<string, readonly string[]>>;
  /** By prompt name. */
  prompts?: Readonly<Record<string, readonly string[]>>;
}

/** Options of {@link auth}. At least one of `apiKeys` and `jwt` is required. */
export interface AuthOptions {
  apiKeys?: ApiKeyOptions;
  jwt?: JwtOptions;
  /**
   * This server's resource URL, as in the RFC 9728 metadata (default `jwt.audience`). Its
   * origin locates the metadata document in `WWW-Authenticate`.
   */
  resource?: string;
  /** `authorization_servers` of the metadata (default `[jwt.issuer]`). */
  authorizationServers?: readonly string[];
  /** `scopes_supported` of the metadata (default: every scope named in `jwt.requiredScopes` and `require`). */
  scopesSupported?: readonly string[];
  /** `resource_name` of the metadata. */
  resourceName?: string;
  /** Scopes needed per component: lists show only what the caller may use; calls to the rest are refused. */
  require?: ScopeRequirements;
  /**
   * Transports without HTTP headers (e.g. `"stdio"`, `"memory"`) whose requests are let
   * through without credentials, with every scope. Default: none — they are refused.
   */
  allowUnauthenticatedTransports?: readonly string[];
}

/** Who is calling, as `auth()` established it; on `ctx.var.principal`. */
export interface Principal {
  /** How the caller was authenticated; `transport` for an allowed unauthenticated transport. */
  readonly method: "jwt" | "api-key" | "transport";
  /** The client (`client_id`, `azp` or `sub` of a JWT; the API key's `clientId`; the transport name). */
  readonly clientId: string;
  /** The user (`sub` of a JWT, `subject` of an API key), when known. */
  readonly subject: string | undefined;
  readonly scopes: ReadonlySet<string>;
  /** True on an allowed unauthenticated transport: every scope check passes. */
  readonly trusted: boolean;
  /** Token expiry, in seconds since the epoch (JWT only). */
  readonly expiresAt: number | undefined;
  /** The verified JWT claims (JWT only). */
  readonly claims: Readonly<JWTPayload> | undefined;
}

/** The `ctx.var` fields {@link auth} adds. */
export type AuthVars = {
  /** The caller of this request (set on every request `auth()` lets through). */
  principal: Principal;
};
