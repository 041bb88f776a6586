import type { Context } from "@mcpforge/core";
import { canonicalJson, sha256 } from "../internal/json.js";

/** The identity shared by every caller that is not authenticated. */
export const ANONYMOUS = "anonymous";

/**
 * Who is calling, for partitioning cached responses: the authenticated principal (client id,
 * subject and issuer from `ctx.auth`), or {@link ANONYMOUS} when the request is not
 * authenticated. An authenticated request with neither a client id nor a subject is identified
 * by a hash of its token. `undefined` means "unknown": such a request is not cached.
 *
 * @example
 * app.use(responseCache({ store: memoryStore(), ttlMs: 60_000, identity: (ctx) => callerIdentity(ctx) }));
 */
export function callerIdentity(ctx: Pick<Context, "auth">): string | undefined {
  const auth = ctx.auth;
  if (!auth) return ANONYMOUS;
  const extra = (auth.extra ?? {}) as Record<string, unknown>;
  const clientId = typeof auth.clientId === "string" && auth.clientId ? auth.clientId : null;
  const subject = typeof extra.subject === "string" && extra.subject ? extra.subject : null;
  const issuer = typeof extra.issuer === "string" && extra.issuer ? extra.issuer : null;
  if (clientId === null && subject === null) {
    return typeof auth.token === "string" && auth.token ? `token:${sha256(auth.token)}` : undefined;
  }
  return `principal:${canonicalJson([clientId, subject, issuer])}`;
}
