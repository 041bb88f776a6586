import type { Context } from "@mcpforge/core";
import { principalKey } from "@mcpforge/core/authoring";

/** The identity shared by every caller that is not authenticated. */
export const ANONYMOUS = "anonymous";

/**
 * Who is calling, for partitioning cached responses: core's `principalKey(ctx.auth)` (issuer,
 * client id and subject together; a token hash when neither id is known) and the scopes the
 * caller holds — so a caller whose scopes shrink never gets an answer cached while it could see
 * more — or {@link ANONYMOUS} when the request is not authenticated.
 *
 * @example
 * app.use(responseCache({ store: memoryStore(), ttlMs: 60_000, identity: (ctx) => callerIdentity(ctx) }));
 */
export function callerIdentity(ctx: Pick<Context, "auth">): string | undefined {
  const principal = principalKey(ctx.auth);
  if (principal === undefined) return ANONYMOUS;
  const scopes = ctx.auth?.scopes ?? [];
  return scopes.length === 0 ? principal : `${principal} ${[...scopes].sort().join(" ")}`;
}
