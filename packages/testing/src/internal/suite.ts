// Shared mechanics of the contract suites. vitest is an optional peer, loaded only inside a
// vitest run (VITEST is set by vitest), so importing @mcpforge/testing elsewhere neither needs
// nor pays for it; the suites explain what is missing when they are called outside vitest.
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

/** What {@link storeTracker} gives a store contract suite. */
export interface StoreTracker<S> {
  /** A fresh store from the factory, and how to tell the tracker the test closed it. */
  fresh(): Promise<{ store: S; markClosed(): void }>;
  /** The stores made since the last call that the tests left open (for cleanup). */
  takeOpen(): S[];
}

/**
 * Checks a contract suite's store factory and keeps the stores it made, so the suite can
 * clean up after each test.
 *
 * @example
 * const stores = storeTracker("testMapStore", () => new Map<string, unknown>());
 * afterEach(() => {
 *   for (const store of stores.takeOpen()) store.clear();
 * });
 * it("starts empty", async () => {
 *   const { store } = await stores.fresh();
 *   expect(store.size).toBe(0);
 * });
 */
export function storeTracker<S>(suite: string, factory: () => S | Promise<S>): StoreTracker<S> {
  if (typeof factory !== "function") {
    throw new Error(`@mcpforge/testing: ${suite}() needs a factory function`);
  }
  const made: { store: S; closed: boolean }[] = [];
  return {
    async fresh() {
      const store = await factory();
      const entry = { store, closed: false };
      made.push(entry);
      const markClosed = () => {
        entry.closed = true;
      };
      return { store, markClosed };
    },
    takeOpen() {
      return made
        .splice(0)
        .filter((entry) => !entry.closed)
        .map((entry) => entry.store);
    },
  };
}
