/**
 * Error text safe for a health report: credentials in URLs and `key=value` secrets are
 * replaced, IP addresses (with their ports) hidden, whitespace collapsed, and the text cut to
 * a bounded length.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;
const SECRET_PAIRS =
  /\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|authorization|auth)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi;
const BEARER = /\b(bearer|basic)\s+[a-z0-9._~+/=-]+/gi;
/** IPv4 (`10.0.0.7:5432`) and IPv6 (`[::1]:6379`, `fe80::1`) addresses, with a port if any. */
const ADDRESS =
  /\[[0-9a-f:.]+\](?::\d+)?|\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|(?<![\w:])[0-9a-f]*::[0-9a-f:.]*(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){4,7}[0-9a-f]{1,4}(?::\d+)?(?![\w:])/gi;

/** The longest output a report carries for one check. */
export const MAX_OUTPUT_LENGTH = 200;

/**
 * Removes credentials and addresses from a message: `redis://user:pw@host` →
 * `redis://***@host`, `password=hunter2` → `password=***`, `Bearer abc` → `Bearer ***`,
 * `connect ECONNREFUSED 10.0.0.7:5432` → `connect ECONNREFUSED <address>`.
 *
 * @example
 * sanitize("connect failed: postgres://app:hunter2@db:5432/app"); // "connect failed: postgres://***@db:5432/app"
 */
export function sanitize(message: string): string {
  const clean = message
    .replace(URL_CREDENTIALS, "$1***@")
    .replace(SECRET_PAIRS, "$1$2***")
    .replace(BEARER, "$1 ***")
    .replace(ADDRESS, "<address>")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > MAX_OUTPUT_LENGTH ? `${clean.slice(0, MAX_OUTPUT_LENGTH - 1)}…` : clean;
}

/**
 * A thrown value as safe report text: its message (or code), sanitized.
 *
 * @example
 * errorText(new Error("password authentication failed, password=x")); // "password authentication failed, password=***"
 */
export function errorText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0 && err.message === "") {
    return errorText(err.errors[0]);
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const text = err.message || (typeof code === "string" ? code : err.name);
    return sanitize(text);
  }
  return sanitize(String(err));
}
