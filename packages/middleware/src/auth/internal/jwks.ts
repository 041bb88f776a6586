import type {
  CryptoKey,
  FlattenedJWSInput,
  JSONWebKeySet,
  JWSHeaderParameters,
  LocalJWKSet,
} from "jose";
import { loadJose } from "./jose.js";

/** The largest JWKS document accepted, in bytes. */
const MAX_JWKS_BYTES = 512 * 1024;

/**
 * The JWKS could not be fetched (network, status, timeout, malformed document): fail closed.
 *
 * @example
 * import { jwtVerify } from "jose";
 * const jwks = new RemoteJwks(new URL("https://issuer.example.com/jwks.json"), {
 *   cooldownMs: 30_000, maxAgeMs: 600_000, timeoutMs: 5_000, onFailure: console.error,
 * });
 * const status = await jwtVerify("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", jwks.getKey).then(
 *   () => 200,
 *   (err) => (err instanceof JwksUnavailableError ? 503 : 401), // fail closed, retry later
 * );
 */
export class JwksUnavailableError extends Error {
  override readonly name = "JwksUnavailableError";
}

/** Options of {@link RemoteJwks}. */
export interface RemoteJwksOptions {
  /** After a fetch (successful or not) no other fetch starts for this long. */
  cooldownMs: number;
  /** Keys older than this are fetched again before use. */
  maxAgeMs: number;
  /** Time limit of one fetch, body included. */
  timeoutMs: number;
  /** Told about each failed fetch (the message never holds a token). */
  onFailure: (error: Error) => void;
}

async function readCapped(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw new Error(`JWKS document is larger than ${max} bytes`);
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new Error(`JWKS document is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A remote JSON Web Key Set with a cache and a cool-down: at most one fetch starts per
 * cool-down window, whatever triggers it (first use, expired cache, or a token whose `kid` is
 * not in the set), and whether it succeeds or not. When no usable key set is at hand, key
 * lookups fail with {@link JwksUnavailableError} — never with a key.
 *
 * @example
 * const jwks = new RemoteJwks(new URL("https://issuer.example.com/jwks.json"), {
 *   cooldownMs: 30_000, maxAgeMs: 600_000, timeoutMs: 5_000, onFailure: console.error,
 * });
 * import { jwtVerify } from "jose";
 * const token = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"; // from the Authorization header
 * await jwtVerify(token, jwks.getKey, { issuer: "https://issuer.example.com/", audience: "https://mcp.example.com/mcp" });
 */
export class RemoteJwks {
  readonly #url: URL;
  readonly #o: RemoteJwksOptions;
  #keys: LocalJWKSet | undefined;
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<void> | undefined;

  constructor(url: URL, options: RemoteJwksOptions) {
    this.#url = url;
    this.#o = options;
  }

  /** Resolves the verification key of a token (a jose `JWTVerifyGetKey`). */
  readonly getKey = async (
    header: JWSHeaderParameters,
    token: FlattenedJWSInput,
  ): Promise<CryptoKey> => {
    if (!this.#keys || Date.now() >= this.#fetchedAt + this.#o.maxAgeMs) {
      if (!this.#pending && !this.#mayFetch()) {
        throw new JwksUnavailableError("JWKS unavailable (cooling down after a failed fetch)");
      }
      await this.#refresh();
    }
    try {
      return await (this.#keys as LocalJWKSet)(header, token);
    } catch (err) {
      // An unknown kid may be a rotated key: refetch, at most once per cool-down window.
      if (!(err instanceof (await loadJose()).errors.JWKSNoMatchingKey)) throw err;
      if (!this.#pending && !this.#mayFetch()) throw err;
      await this.#refresh();
      return (this.#keys as LocalJWKSet)(header, token);
    }
  };

  #mayFetch(): boolean {
    return Date.now() >= this.#attemptedAt + this.#o.cooldownMs;
  }

  #refresh(): Promise<void> {
    if (this.#pending) return this.#pending;
    this.#attemptedAt = Date.now();
    const pending = this.#fetch()
      .then(
        (keys) => {
          this.#keys = keys;
          this.#fetchedAt = Date.now();
        },
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          this.#o.onFailure(error);
          throw new JwksUnavailableError(`JWKS unavailable: ${error.message}`);
        },
      )
      .finally(() => {
        this.#pending = undefined;
      });
    this.#pending = pending;
    return pending;
  }

  async #fetch(): Promise<LocalJWKSet> {
    const { createLocalJWKSet } = await loadJose();
    const res = await fetch(this.#url, {
      redirect: "error",
      signal: AbortSignal.timeout(this.#o.timeoutMs),
      headers: { accept: "application/jwk-set+json, application/json" },
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(`the JWKS endpoint answered HTTP ${res.status}`);
    }
    const text = await readCapped(res, MAX_JWKS_BYTES);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error("the JWKS document is not JSON");
    }
    // Validates the document shape now, so a bad document counts as a failed fetch.
    return createLocalJWKSet(json as JSONWebKeySet);
  }
}
