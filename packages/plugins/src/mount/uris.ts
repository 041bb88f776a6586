/** `scheme:` then `//` or not, then the rest. */
const URI_RE = /^([A-Za-z][A-Za-z0-9+.-]*):(\/\/)?(.*)$/s;

/**
 * Puts a prefix in front of a URI's path: `scheme://rest` → `scheme://prefix/rest` (also
 * for URI templates); a URI without `scheme:` is returned unchanged.
 *
 * @example
 * prefixUri("data://primes/{n}", "math"); // "data://math/primes/{n}"
 */
export function prefixUri(uri: string, prefix: string): string {
  const m = URI_RE.exec(uri);
  if (!m) return uri;
  return `${m[1]}:${m[2] ?? ""}${prefix}/${m[3]}`;
}

/**
 * The inverse of {@link prefixUri}: the child's URI, or undefined when the prefix is not there.
 *
 * @example
 * unprefixUri("data://math/primes/7", "math"); // "data://primes/7"
 */
export function unprefixUri(uri: string, prefix: string): string | undefined {
  const m = URI_RE.exec(uri);
  if (!m || !m[3]?.startsWith(`${prefix}/`)) return undefined;
  return `${m[1]}:${m[2] ?? ""}${m[3].slice(prefix.length + 1)}`;
}
