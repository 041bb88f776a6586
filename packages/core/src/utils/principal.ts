import { createHash } from "node:crypto";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";

/**
 * Who the caller is, as one stable string: the one rule for binding sessions to their
 * creator, partitioning caches and keying rate limits. Issuer, client id and subject
 * (`auth.extra.issuer`, `auth.clientId`, `auth.extra.subject`) together name a principal; a
 * record with neither a client id nor a subject is named by a hash of its token (never the
 * token itself). `undefined` when the request is not authenticated.
 *
 * @example
 * principalKey({ token: "t", clientId: "app", scopes: [], extra: { subject: "u1" } });
 * // 'principal:[null,"app","u1"]'
 */
export function principalKey(auth: AuthInfo | undefined): string | undefined {
  if (!auth) return undefined;
  // A frozen record with a frozen `extra` (an API key's, shared by its requests) cannot change:
  // its key is made once. Others (a JWT's, one per request) are not remembered: no table entry
  // per request.
  if (!Object.isFrozen(auth) || (auth.extra !== undefined && !Object.isFrozen(auth.extra))) {
    return keyOf(auth);
  }
  let key = frozenKeys.get(auth);
  if (key === undefined) {
    key = keyOf(auth);
    frozenKeys.set(auth, key);
  }
  return key;
}

/** The keys of frozen records, made once each. */
const frozenKeys = new WeakMap<AuthInfo, string>();

function keyOf(auth: AuthInfo): string {
  const extra = (auth.extra ?? {}) as Record<string, unknown>;
  const clientId = nonEmpty(auth.clientId);
  const subject = nonEmpty(extra.subject);
  const issuer = nonEmpty(extra.issuer);
  if (clientId === null && subject === null) {
    const token = typeof auth.token === "string" ? auth.token : "";
    return `token:${createHash("sha256").update(token).digest("base64url")}`;
  }
  return `principal:${JSON.stringify([issuer, clientId, subject])}`;
}

function nonEmpty(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}
