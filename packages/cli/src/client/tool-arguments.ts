import { CliError, EXIT } from "../internal/errors.js";

type Schema = Record<string, unknown>;

/** The JSON types a property accepts (through `type`, `anyOf`/`oneOf` branches, `enum`). */
function acceptedTypes(s: Schema | undefined): Set<string> {
  const types = new Set<string>();
  if (!s) return types;
  if (typeof s.type === "string") types.add(s.type);
  if (Array.isArray(s.type)) for (const t of s.type) types.add(String(t));
  for (const k of ["anyOf", "oneOf"]) {
    if (Array.isArray(s[k]))
      for (const b of s[k] as Schema[]) for (const t of acceptedTypes(b)) types.add(t);
  }
  if (Array.isArray(s.enum)) for (const v of s.enum) types.add(v === null ? "null" : typeof v);
  if (types.has("integer")) types.add("number");
  return types;
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Converts one `key=value` string to the type the schema wants. */
function coerce(key: string, raw: string, schema: Schema | undefined): unknown {
  const types = acceptedTypes(schema);
  if (types.size === 0) {
    const parsed = tryJson(raw);
    return parsed.ok ? parsed.value : raw;
  }
  if (types.size === 1 && types.has("string")) return raw;
  const parsed = tryJson(raw);
  if (parsed.ok && types.has(jsonType(parsed.value))) return parsed.value;
  if (types.has("string")) return raw;
  const wanted = [...types].filter((t) => t !== "integer").join(" or ");
  const example = types.has("number")
    ? `${key}=42`
    : types.has("boolean")
      ? `${key}=true`
      : types.has("array")
        ? `${key}='[1,2]'`
        : `${key}='{"a":1}'`;
  throw new CliError(
    `${key} must be ${wanted} (e.g. ${example}), got ${JSON.stringify(raw)}`,
    EXIT.usage,
  );
}

/**
 * Builds tool arguments from `key=value` pairs, each value parsed against the tool's input
 * schema (numbers, booleans, JSON for objects and arrays), on top of `--input-json`.
 *
 * @example
 * const inputSchema = { type: "object", properties: { a: { type: "number" }, flag: { type: "boolean" } } };
 * toolArguments(["a=1", "flag=true"], inputSchema); // { a: 1, flag: true }
 */
export function toolArguments(
  pairs: readonly string[],
  inputSchema: Schema,
  base: Record<string, unknown> = {},
): Record<string, unknown> {
  const properties = (inputSchema.properties ?? {}) as Record<string, Schema>;
  const args: Record<string, unknown> = { ...base };
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new CliError(`Expected key=value, got "${pair}"`, EXIT.usage);
    const key = pair.slice(0, at);
    args[key] = coerce(key, pair.slice(at + 1), properties[key]);
  }
  return args;
}
