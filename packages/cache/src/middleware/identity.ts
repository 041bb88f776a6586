import type { Context } from "@mcpforge/core";
import { principalKey } from "@mcpforge/core/authoring";

/** The identity shared by every caller that is not authenticated. */
export const ANONYMOUS = "anonymous";

/**
 * Who is calling, for partitioning cached responses: core's `principalKey(ctx.auth)` (issuer,
 * client id and subject together; a token hash when neither id is known), or
 * {@link ANONYMOUS} when the request is not authenticated.
 *
 * @example
 * app.use(responseCache({ store: memoryStore(), ttlMs: 60_000, identity: (ctx) => callerIdentity(ctx) }));
 */
export function callerIdentity(ctx: Pick<Context, "auth">): string | undefined {
  return principalKey(ctx.auth) ?? ANONYMOUS;
}
