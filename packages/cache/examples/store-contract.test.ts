// The contract suite every cache store passes, run by vitest: here on the memory store.
import { memoryStore } from "@mcpforge/cache/memory";
import { testCacheStore } from "@mcpforge/testing";

// The factory must give a fresh, empty store per call (a shared backend: a random key prefix).
testCacheStore("memory (README)", () => memoryStore({ maxEntries: 1000 }));
