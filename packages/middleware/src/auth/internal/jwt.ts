import type { JWTPayload, JWTVerifyOptions } from "jose";
import type { JwtAlgorithm } from "../types.js";
import { loadJose } from "./jose.js";
import { JwksUnavailableError, RemoteJwks } from "./jwks.js";

type Jose = Awaited<ReturnType<typeof loadJose>>;

/** Longest bearer token looked at, in characters. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/** The resolved JWT settings (validated by the factory). */
export interface JwtSettings {
  jwksUrl: URL;
  issuer: string;
  audience: string;
  algorithms: readonly JwtAlgorithm[];
  clockToleranceSec: number;
  cooldownMs: number;
  maxAgeMs: number;
  timeoutMs: number;
}

/** What verifying a bearer JWT gave. */
export type JwtOutcome =
  | {
      ok: true;
      payload: JWTPayload;
      clientId: string;
      subject: string | undefined;
      scopes: string[];
    }
  | { ok: false; reason: "expired" | "not_yet_valid" | "invalid" | "unavailable" };

/**
 * The scopes of an access token: the `scope` claim (space-separated, RFC 9068 / RFC 8693),
 * else `scp` (a string or an array, as some providers send).
 *
 * @example
 * scopesOf({ scope: "mcp:read mcp:write" }); // ["mcp:read", "mcp:write"]
 */
export function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  const list = typeof raw === "string" ? raw.split(" ") : Array.isArray(raw) ? raw : [];
  return [...new Set(list.filter((s): s is string => typeof s === "string" && s.length > 0))];
}

/**
 * Whether a string has the shape of a compact JWS (three base64url parts).
 *
 * @example
 * looksLikeJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"); // true
 */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/**
 * Verifies OAuth 2.1 bearer JWTs against a remote JWKS: signature (asymmetric algorithms from
 * the allow-list only), issuer, audience, `exp` (required) and `nbf`, with a bounded clock
 * tolerance. Tokens from another issuer or with a refused algorithm are rejected before any
 * key lookup, so they never trigger a JWKS fetch.
 *
 * @example
 * const verifier = new JwtVerifier(
 *   {
 *     jwksUrl: new URL("https://issuer.example.com/jwks.json"),
 *     issuer: "https://issuer.example.com/",
 *     audience: "https://mcp.example.com/mcp",
 *     algorithms: ["RS256"],
 *     clockToleranceSec: 30,
 *     cooldownMs: 30_000,
 *     maxAgeMs: 600_000,
 *     timeoutMs: 5_000,
 *   },
 *   (err) => console.error("JWKS fetch failed:", err.message),
 * );
 * const outcome = await verifier.verify("eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
 */
export class JwtVerifier {
  readonly jwks: RemoteJwks;
  readonly #s: JwtSettings;
  readonly #options: JWTVerifyOptions;

  constructor(settings: JwtSettings, onJwksFailure: (error: Error) => void) {
    this.#s = settings;
    this.jwks = new RemoteJwks(settings.jwksUrl, {
      cooldownMs: settings.cooldownMs,
      maxAgeMs: settings.maxAgeMs,
      timeoutMs: settings.timeoutMs,
      onFailure: onJwksFailure,
    });
    this.#options = {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: [...settings.algorithms],
      clockTolerance: settings.clockToleranceSec,
      requiredClaims: ["exp"],
    };
    // Starts loading jose now, so the first request does not wait for it.
    loadJose().catch(() => undefined);
  }

  /** Verifies one token; never throws. */
  async verify(token: string): Promise<JwtOutcome> {
    if (token.length > MAX_TOKEN_LENGTH || !looksLikeJwt(token)) {
      return { ok: false, reason: "invalid" };
    }
    const jose = await loadJose();
    const { decodeJwt, decodeProtectedHeader } = jose;
    try {
      const { alg } = decodeProtectedHeader(token);
      if (!(this.#s.algorithms as readonly unknown[]).includes(alg)) {
        return { ok: false, reason: "invalid" };
      }
      if (decodeJwt(token).iss !== this.#s.issuer) return { ok: false, reason: "invalid" };
    } catch {
      return { ok: false, reason: "invalid" };
    }
    let payload: JWTPayload;
    try {
      payload = await this.#verify(jose, token);
    } catch (err) {
      return { ok: false, reason: reasonOf(jose.errors, err) };
    }
    const subject = typeof payload.sub === "string" && payload.sub !== "" ? payload.sub : undefined;
    const clientId = [payload.client_id, payload.azp, subject].find(
      (v): v is string => typeof v === "string" && v !== "",
    );
    if (clientId === undefined) return { ok: false, reason: "invalid" };
    return { ok: true, payload, clientId, subject, scopes: scopesOf(payload) };
  }

  async #verify({ errors, jwtVerify }: Jose, token: string): Promise<JWTPayload> {
    try {
      return (await jwtVerify(token, this.jwks.getKey, this.#options)).payload;
    } catch (err) {
      // A kid-less token matching several keys of the set: try each of them.
      if (!(err instanceof errors.JWKSMultipleMatchingKeys)) throw err;
      for await (const key of err) {
        try {
          return (await jwtVerify(token, key, this.#options)).payload;
        } catch (inner) {
          if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
        }
      }
      throw new errors.JWSSignatureVerificationFailed();
    }
  }
}

function reasonOf(
  errors: Jose["errors"],
  err: unknown,
): "expired" | "not_yet_valid" | "invalid" | "unavailable" {
  if (err instanceof JwksUnavailableError) return "unavailable";
  if (err instanceof errors.JWTExpired) return "expired";
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === "nbf") {
    return "not_yet_valid";
  }
  return "invalid";
}
