// vitest is an optional peer, loaded only inside a vitest run (VITEST is set by vitest), so
// importing @mcpforge/testing elsewhere neither needs nor pays for it; the contract suites
// explain what is missing when they are called outside vitest.
const loaded: typeof import("vitest") | undefined = process.env.VITEST
  ? await import("vitest").catch(() => undefined)
  : undefined;

/**
 * vitest, for the contract suite named `suite`; throws a clear error outside a vitest run.
 *
 * @example
 * const { describe, expect, it } = vitestFor("testCacheStore");
 */
export function vitestFor(suite: string): typeof import("vitest") {
  if (!loaded) {
    throw new Error(`@mcpforge/testing: ${suite}() needs vitest installed (pnpm add -D vitest)`);
  }
  return loaded;
}
