import { createHash } from "node:crypto";
import { McpForgeError } from "@mcpforge/core";

/**
 * Serializes a value to JSON for storage; a value that JSON cannot represent (undefined, a
 * function, a BigInt, a cycle) is a request-time error.
 *
 * @example
 * const text = serialize({ a: 1 }); // '{"a":1}'
 */
export function serialize(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new McpForgeError(
      "invalid_params",
      `@mcpforge/cache: the value is not JSON-serializable (${(err as Error).message})`,
      { cause: err },
    );
  }
  if (text === undefined) {
    throw new McpForgeError(
      "invalid_params",
      `@mcpforge/cache: the value is not JSON-serializable (got ${typeof value})`,
    );
  }
  return text;
}

/**
 * Checks a cache key: a non-empty string.
 *
 * @example
 * checkKey("user:1");
 */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || key.length === 0) {
    throw new McpForgeError(
      "invalid_params",
      "@mcpforge/cache: a cache key must be a non-empty string",
    );
  }
}

/**
 * Checks a per-entry TTL: undefined (the store's default) or a positive integer of milliseconds.
 *
 * @example
 * checkTtl(5000);
 */
export function checkTtl(ttlMs: unknown): asserts ttlMs is number | undefined {
  if (ttlMs === undefined) return;
  if (typeof ttlMs !== "number" || !Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > 2_147_483_647) {
    throw new McpForgeError(
      "invalid_params",
      `@mcpforge/cache: ttlMs must be a positive integer of milliseconds, got ${String(ttlMs)}`,
    );
  }
}

/**
 * JSON with object keys sorted at every level, so `{a, b}` and `{b, a}` give the same text.
 * `undefined` object members are dropped (as JSON does); non-finite numbers become `null`.
 *
 * @example
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return serialize(sortKeys(value, new Set()));
}

function sortKeys(value: unknown, seen: Set<object>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) {
    throw new McpForgeError(
      "invalid_params",
      "@mcpforge/cache: cannot build a key from a cyclic value",
    );
  }
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === "function") return sortKeys(json.call(value), seen);
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => sortKeys(item, seen));
    // A null prototype keeps a "__proto__" member an own property.
    const out: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(value).sort()) {
      out[key] = sortKeys((value as Record<string, unknown>)[key], seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * The SHA-256 of a string, hex-encoded.
 *
 * @example
 * sha256("abc"); // "ba7816bf…"
 */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The UTF-8 size of a string in bytes.
 *
 * @example
 * byteLength("é"); // 2
 */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
