import { type Context, isMcpForgeError } from "@mcpforge/core";
import { type HeaderLogging, REDACTED } from "./headers-json.js";
import { ESCAPED_SURROGATE } from "./json-text.js";

/**
 * How `logging()` logs a request's payload, from its options.
 *
 * @example
 * declare const headers: PayloadLogging["headers"]; // headerLogging(isSecret)
 * const payload: PayloadLogging = {
 *   isSecret: (key) => key === "password",
 *   headers,
 *   maxBytes: 2048,
 * };
 */
export interface PayloadLogging {
  /** Whether an argument key is a secret (its value is redacted). */
  readonly isSecret: (key: string) => boolean;
  /** How the request's headers are logged. */
  readonly headers: HeaderLogging;
  /** Logged arguments are cut to this many bytes of JSON. */
  readonly maxBytes: number;
}

type Fields = Record<string, unknown>;

/**
 * The members of a line after its fixed fields — the arguments (truncated, with secrets
 * redacted), the resource URI, the headers (redacted), the error — as JSON text, `,"key":value`
 * each, as `JSON.stringify` writes them; `undefined` when that text escapes a lone surrogate
 * (the line is pino's to write). The arguments, serialized once to measure them, and the
 * headers are not serialized again for the line. Given `fields`, it also puts the same members,
 * as values, on it, for pino: that rare path makes them again rather than every request keeping
 * them.
 *
 * @example
 * declare const payload: PayloadLogging;
 * payloadJson(ctx, undefined, payload); // ',"arguments":{"text":"hi"},"headers":{…}'
 * const fields = { method: ctx.method };
 * payloadJson(ctx, undefined, payload, fields); // fields.arguments, fields.headers set
 */
export function payloadJson(
  ctx: Context,
  failure: unknown,
  payload: PayloadLogging,
  fields?: Fields,
): string | undefined {
  let json = "";
  let plain = true;
  const args = ctx.params.arguments;
  if (args !== undefined) {
    const member = argumentsJson(args, payload, fields);
    if (member !== undefined) {
      json = member;
      plain = !member.includes(ESCAPED_SURROGATE);
    }
  }
  if (typeof ctx.params.uri === "string") {
    const uri = truncateUtf8(ctx.params.uri, payload.maxBytes);
    const text = JSON.stringify(uri);
    json += `,"uri":${text}`;
    if (text.includes(ESCAPED_SURROGATE)) plain = false;
    if (fields) fields.uri = uri;
  }
  const headers = ctx.http?.headers;
  if (headers) {
    const text = payload.headers.plainJson(headers);
    if (text === undefined) plain = false;
    else json += `,"headers":${text}`;
    if (fields) fields.headers = payload.headers.logged(headers);
  }
  if (failure !== undefined) {
    const error = errorFields(failure);
    const text = JSON.stringify(error);
    json += `,"error":${text}`;
    if (text.includes(ESCAPED_SURROGATE)) plain = false;
    if (fields) fields.error = error;
  }
  return plain ? json : undefined;
}

/** The arguments' members (`,"arguments":…` and, when cut, the truncation's), set on `fields`. */
function argumentsJson(
  args: unknown,
  payload: PayloadLogging,
  fields?: Fields,
): string | undefined {
  const { isSecret, maxBytes } = payload;
  // Only arguments holding a secret key need the (slower) replacer pass.
  const secret = hasSecretKey(args, isSecret, 0);
  let redacted = false;
  const text = secret
    ? JSON.stringify(args, (key, value) => {
        if (key === "" || !isSecret(key)) return value;
        redacted = true;
        return REDACTED;
      })
    : JSON.stringify(args);
  if (text === undefined) return undefined;
  // A UTF-16 unit is at most 3 bytes of UTF-8: short JSON needs no exact count.
  const bytes = text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text);
  if (bytes > maxBytes) {
    const cut = `${truncateUtf8(text, maxBytes)}…`;
    if (fields) {
      fields.arguments = cut;
      fields.argumentsTruncated = true;
      fields.argumentsBytes = bytes;
    }
    return `,"arguments":${JSON.stringify(cut)},"argumentsTruncated":true,"argumentsBytes":${bytes}`;
  }
  if (fields) fields.arguments = redacted ? JSON.parse(text) : args;
  // Arguments came in as JSON, so without secrets (or once redacted) the text is the member's.
  if (redacted || !secret) return `,"arguments":${text}`;
  // A toJSON() somewhere: serialized as the line's member (its key is "arguments").
  const line = JSON.stringify({ arguments: args });
  return `,"arguments":${line.slice('{"arguments":'.length, -1)}`;
}

/** Whether a key of `value`, at any depth (as `JSON.stringify` visits them), is a secret. */
function hasSecretKey(value: unknown, isSecret: (key: string) => boolean, depth: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  // Past this depth, let the replacer pass decide.
  if (depth > 32) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (isSecret(String(i)) || hasSecretKey(value[i], isSecret, depth + 1)) return true;
    }
    return false;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return true;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (isSecret(key) || hasSecretKey((value as Record<string, unknown>)[key], isSecret, depth + 1))
      return true;
  }
  return false;
}

function truncateUtf8(text: string, maxBytes: number): string {
  const cut = Buffer.from(text, "utf8").subarray(0, maxBytes).toString("utf8");
  // A multi-byte character cut in half decodes to U+FFFD: drop it.
  return cut.endsWith("\uFFFD") ? cut.slice(0, -1) : cut;
}

function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err).slice(0, 500) };
  const out: Record<string, unknown> = { name: err.name, message: err.message.slice(0, 500) };
  if (isMcpForgeError(err)) {
    out.kind = err.kind;
    out.code = err.code;
  }
  return out;
}
