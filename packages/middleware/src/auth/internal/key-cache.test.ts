import { describe, expect, it } from "vitest";
import { ApiKeyVerifier } from "./api-keys.js";
import { VerifiedKeyCache } from "./key-cache.js";

const key = (i: number) => `k_live_${String(i).padStart(16, "0")}`;

describe("VerifiedKeyCache", () => {
  it("stays within its bound, dropping the least recently used key", () => {
    const cache = new VerifiedKeyCache<number>(100);
    for (let i = 0; i < 1000; i++) {
      cache.set(key(i), i);
      if (i >= 1) expect(cache.get(key(0))).toBe(0); // key 0 is kept in use
    }
    expect(cache.size).toBe(100);
    expect(cache.get(key(0))).toBe(0);
    expect(cache.get(key(999))).toBe(999);
    expect(cache.get(key(500))).toBeUndefined();
  });

  it("answers only the exact key stored", () => {
    const cache = new VerifiedKeyCache<string>(10);
    cache.set("k_live_0123456789abcdef", "ci");
    expect(cache.get("k_live_0123456789abcdef")).toBe("ci");
    expect(cache.get("k_live_0123456789abcdeF")).toBeUndefined();
    expect(cache.get("k_live_0123456789abcde")).toBeUndefined();
    expect(cache.get("k_live_0123456789abcdef ")).toBeUndefined();
  });
});

describe("ApiKeyVerifier's cache of verified keys", () => {
  it("remembers only keys of the table, at most 1024, and never accepts an unknown key", async () => {
    const table = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [key(i), { clientId: `c${i}`, scopes: ["mcp"] }]),
    );
    const verifier = new ApiKeyVerifier(table);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3000; i++) {
        const outcome = await verifier.verify(key(i));
        expect(outcome.ok && outcome.principal.clientId).toBe(`c${i}`);
      }
    }
    expect(verifier.cachedKeys).toBe(1024);
    const cached = verifier.cachedKeys;
    for (const unknown of [key(3000), `${key(2999)}x`, key(2999).slice(0, -1), "", "x"]) {
      expect((await verifier.verify(unknown)).ok).toBe(false);
      expect((await verifier.verify(unknown)).ok).toBe(false);
    }
    expect(verifier.cachedKeys).toBe(cached);
  });

  it("asks a lookup function on every request: a revoked key is refused at once", async () => {
    const live = new Set([key(1)]);
    let asked = 0;
    const verifier = new ApiKeyVerifier((k) => {
      asked++;
      return live.has(k) ? { clientId: "ci", scopes: [] } : undefined;
    });
    expect((await verifier.verify(key(1))).ok).toBe(true);
    expect((await verifier.verify(key(1))).ok).toBe(true);
    live.delete(key(1));
    expect((await verifier.verify(key(1))).ok).toBe(false);
    expect(asked).toBe(3);
    expect(verifier.cachedKeys).toBe(0);
  });
});
