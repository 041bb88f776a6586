// Cache an async function: single-flight, TTL, invalidation by arguments and by tag.
import { cached } from "@mcpforge/cache/cached";
import { memoryStore } from "@mcpforge/cache/memory";

const store = memoryStore({ maxEntries: 1000, maxBytes: 8 * 1024 * 1024 });

let queries = 0;
async function loadUser(id: string) {
  queries++;
  await new Promise((resolve) => setTimeout(resolve, 20)); // a slow database
  return { id, name: `User ${id}` };
}

const getUser = cached(loadUser, {
  store,
  ttlMs: 60_000,
  tags: (id) => [`user:${id}`],
});

// 100 concurrent calls for the same user: one query (single-flight).
await Promise.all(Array.from({ length: 100 }, () => getUser("42")));
console.log("queries after 100 concurrent calls:", queries); // 1

await getUser("42"); // a hit
console.log("queries after a cached call:", queries); // 1

await getUser.invalidateTag("user:42"); // or: await getUser.invalidate("42")
await getUser("42");
console.log("queries after invalidation:", queries); // 2
console.log("stats:", getUser.stats());

await store.close();
