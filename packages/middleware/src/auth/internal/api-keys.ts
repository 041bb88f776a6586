import * as crypto from "node:crypto";
import { createHash, timingSafeEqual } from "node:crypto";
import type { ApiKeyLookup, ApiKeyPrincipal } from "../types.js";
import { VerifiedKeyCache } from "./key-cache.js";

/** What checking an API key gave. */
export type ApiKeyOutcome =
  | { ok: true; principal: ApiKeyPrincipal }
  | { ok: false; reason: "invalid" | "unavailable"; error?: Error };

/** Longest API key looked at, in characters. */
const MAX_KEY_LENGTH = 4096;

/** Verified keys of a static table kept in the LRU of {@link ApiKeyVerifier}. */
const CACHED_KEYS = 1024;

const INVALID: ApiKeyOutcome = Object.freeze({ ok: false, reason: "invalid" });

/** Node ≥ 20.12's one-shot `crypto.hash` (no Hash object per call), when there is one. */
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: "buffer") => Buffer }).hash;

function digest(value: string): Buffer {
  return oneShot
    ? oneShot("sha256", value, "buffer")
    : createHash("sha256").update(value, "utf8").digest();
}

/**
 * Whether a lookup result is a usable principal.
 *
 * @example
 * isPrincipal({ clientId: "ci", scopes: [] }); // true
 */
export function isPrincipal(value: unknown): value is ApiKeyPrincipal {
  const p = value as ApiKeyPrincipal | undefined;
  return (
    typeof p === "object" &&
    p !== null &&
    typeof p.clientId === "string" &&
    p.clientId !== "" &&
    Array.isArray(p.scopes) &&
    p.scopes.every((s) => typeof s === "string") &&
    (p.subject === undefined || (typeof p.subject === "string" && p.subject !== ""))
  );
}

/**
 * Checks presented API keys. A static table is compared in constant time: the SHA-256 digest
 * of the presented key against the digest of every configured key with `timingSafeEqual`
 * (equal lengths by construction), without stopping at the first match. A key that matched
 * is remembered in a bounded LRU found by a fast keyed hash ({@link VerifiedKeyCache}): later
 * requests with it are compared in full with the remembered key instead of hashed again with
 * SHA-256. Unknown keys are never remembered, and a lookup function is called on every
 * request (it may revoke a key at any time), so nothing it refused or revoked is accepted.
 *
 * @example
 * const keys = new ApiKeyVerifier({ "k_live_0123456789abcdef": { clientId: "ci", scopes: ["mcp:read"] } });
 * const outcome = await keys.verify("k_live_0123456789abcdef"); // the principal "ci"
 */
export class ApiKeyVerifier {
  readonly #table: { digest: Buffer; outcome: ApiKeyOutcome }[] | undefined;
  readonly #lookup: ApiKeyLookup | undefined;
  readonly #cache = new VerifiedKeyCache<ApiKeyOutcome>(CACHED_KEYS);

  constructor(keys: Readonly<Record<string, ApiKeyPrincipal>> | ApiKeyLookup) {
    if (typeof keys === "function") {
      this.#lookup = keys;
      return;
    }
    this.#table = Object.entries(keys).map(([key, principal]) => ({
      digest: digest(key),
      outcome: Object.freeze({
        ok: true,
        principal: Object.freeze({ ...principal, scopes: Object.freeze([...principal.scopes]) }),
      }),
    }));
  }

  /** Verified keys of the static table remembered now (bounded). */
  get cachedKeys(): number {
    return this.#cache.size;
  }

  /**
   * Checks one presented key; never throws. A static table answers synchronously (the same
   * frozen outcome for every request with a key); a lookup function answers with a promise.
   */
  verify(key: string): ApiKeyOutcome | Promise<ApiKeyOutcome> {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) return INVALID;
    const table = this.#table;
    if (table) {
      const cached = this.#cache.get(key);
      if (cached) return cached;
      const presented = digest(key);
      let found: ApiKeyOutcome | undefined;
      for (const entry of table) {
        if (timingSafeEqual(presented, entry.digest) && !found) found = entry.outcome;
      }
      if (!found) return INVALID;
      this.#cache.set(key, found);
      return found;
    }
    return this.#lookUp(key);
  }

  async #lookUp(key: string): Promise<ApiKeyOutcome> {
    try {
      const principal = await (this.#lookup as ApiKeyLookup)(key);
      if (principal === undefined) return INVALID;
      if (!isPrincipal(principal)) {
        return {
          ok: false,
          reason: "unavailable",
          error: new Error(
            "the apiKeys.keys lookup returned something other than { clientId, scopes }",
          ),
        };
      }
      return { ok: true, principal };
    } catch (err) {
      // The lookup's own error message might quote the key: never pass it on as is.
      const message = err instanceof Error ? err.message : String(err);
      const error = new Error(
        `the apiKeys.keys lookup failed: ${message.split(key).join("[REDACTED]")}`,
      );
      return { ok: false, reason: "unavailable", error };
    }
  }
}
