/** Option checks of `auth()`: each throws a plain `Error` starting with `@mcpforge/middleware: auth():`. */
import { optionsError } from "../../internal/options.js";
import { ASYMMETRIC_ALGORITHMS, type JwtAlgorithm } from "../types.js";

const FACTORY = "auth";

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * An options error of `auth()`.
 *
 * @example
 * throw fail("jwt.issuer must be a non-empty string");
 */
export function fail(message: string): Error {
  return optionsError(FACTORY, message);
}

/**
 * Whether a value is a plain object (not null, not an array).
 *
 * @example
 * isObject({}); // true
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks an optional plain-object option.
 *
 * @example
 * checkObject("jwt", { issuer: "https://issuer.example.com/" }); // passes
 * checkObject("jwt", "https://issuer.example.com/"); // throws: jwt must be an object
 */
export function checkObject(name: string, value: unknown): void {
  if (value !== undefined && !isObject(value)) throw fail(`${name} must be an object`);
}

/**
 * Checks a required non-empty string.
 *
 * @example
 * checkString("jwt.issuer", "https://issuer.example.com");
 */
export function checkString(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw fail(`${name} must be a non-empty string`);
  }
  return value;
}

/**
 * Checks a list of scopes: an array of RFC 6749 scope tokens (no spaces or quotes).
 *
 * @example
 * checkScopes("jwt.requiredScopes", ["mcp:read"]);
 */
export function checkScopes(name: string, value: unknown): readonly string[] {
  if (!Array.isArray(value)) throw fail(`${name} must be an array of scope strings`);
  for (const scope of value) {
    if (typeof scope !== "string" || !SCOPE_TOKEN.test(scope)) {
      throw fail(
        `${name} must hold scope tokens (printable ASCII without spaces, quotes or backslashes), got ${JSON.stringify(scope)}`,
      );
    }
  }
  return value as string[];
}

/**
 * Checks a record of scope lists, e.g. `require.tools`.
 *
 * @example
 * checkScopeRecord("require.tools", { delete_user: ["admin"] });
 */
export function checkScopeRecord(
  name: string,
  value: unknown,
): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  if (value === undefined) return out;
  if (!isObject(value)) throw fail(`${name} must be an object mapping names to scope arrays`);
  for (const key of Object.keys(value)) {
    out.set(key, checkScopes(`${name}[${JSON.stringify(key)}]`, value[key]));
  }
  return out;
}

/**
 * Checks an absolute http(s) URL without a fragment (a resource or issuer identifier).
 *
 * @example
 * checkHttpUrl("resource", "https://mcp.example.com/mcp");
 */
export function checkHttpUrl(name: string, value: unknown): URL {
  const text = checkString(name, value);
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw fail(
      `${name} must be an absolute http(s) URL, got ${JSON.stringify(text.slice(0, 100))}`,
    );
  }
  if (url.hash !== "" || text.includes("#")) throw fail(`${name} must not have a fragment`);
  if (url.username !== "" || url.password !== "") {
    throw fail(`${name} must not carry credentials`);
  }
  return url;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Checks the JWKS URL: https, or http only on a loopback host (for local identity providers
 * and tests).
 *
 * @example
 * checkJwksUrl("https://issuer.example.com/.well-known/jwks.json");
 */
export function checkJwksUrl(value: unknown): URL {
  const text = value instanceof URL ? value.href : value;
  const url = checkHttpUrl("jwt.jwksUrl", text);
  if (url.protocol === "http:" && !LOOPBACK.has(url.hostname) && !url.hostname.startsWith("127.")) {
    throw fail("jwt.jwksUrl must use https (plain http is only accepted on loopback hosts)");
  }
  return url;
}

/**
 * Checks a number of seconds within bounds (fractions allowed).
 *
 * @example
 * checkSeconds("jwt.clockToleranceSec", 30, 0, 300);
 */
export function checkSeconds(name: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw fail(`${name} must be a number of seconds from ${min} to ${max}, got ${String(value)}`);
  }
}

/**
 * Checks the JWT algorithm allow-list: asymmetric algorithms only (never `none` or `HS*`).
 *
 * @example
 * checkAlgorithms(["RS256", "ES256"]);
 */
export function checkAlgorithms(value: unknown): readonly JwtAlgorithm[] {
  if (value === undefined) return ["RS256", "ES256", "PS256", "EdDSA"];
  if (!Array.isArray(value) || value.length === 0) {
    throw fail("jwt.algorithms must be a non-empty array");
  }
  for (const alg of value) {
    if (!(ASYMMETRIC_ALGORITHMS as readonly unknown[]).includes(alg)) {
      throw fail(
        `jwt.algorithms: ${JSON.stringify(alg)} is not allowed; use asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(", ")}). "none" and symmetric HS* algorithms are never accepted with a JWKS`,
      );
    }
  }
  return value as JwtAlgorithm[];
}
