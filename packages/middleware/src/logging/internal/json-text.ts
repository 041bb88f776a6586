/** A string `JSON.stringify` writes as it is between quotes (nothing to escape, no surrogate). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * How `JSON.stringify` writes a lone surrogate (`\udXXX`). pino writes lone surrogates of short
 * top-level strings raw, so a line whose JSON contains this text is left to pino (rare, and
 * only such lines pay for the detour). Text that merely contains a backslash before `ud` is
 * sent there too: harmless, pino writes it the same.
 *
 * @example
 * JSON.stringify("\uD800").includes(ESCAPED_SURROGATE); // true
 */
export const ESCAPED_SURROGATE = "\\ud";

/**
 * `JSON.stringify(text)`, without the serializer for text that needs no escaping.
 *
 * @example
 * quote('say "hi"'); // '"say \\"hi\\""'
 */
export function quote(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/**
 * What `JSON.stringify` writes for a string or number member's value — `undefined` for an
 * undefined value (the member is left out) — or `null` when the line is pino's to write: a
 * string whose JSON escapes a lone surrogate (pino writes some raw), or a value of another type
 * (pino serializes it on its own; such a field never occurs in practice).
 *
 * @example
 * valueJson(1.5); // "1.5"
 * valueJson(Number.NaN); // "null"
 * valueJson("\uD800"); // null
 */
export function valueJson(value: unknown): string | undefined | null {
  if (typeof value === "string") {
    if (PLAIN.test(value)) return `"${value}"`;
    const json = JSON.stringify(value);
    return json.includes(ESCAPED_SURROGATE) ? null : json;
  }
  // `String(n)` is `JSON.stringify(n)` for a finite number (-0 included); the others are null.
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  return value === undefined ? undefined : null;
}

/**
 * One member of a JSON object, `,"key":value`, as `JSON.stringify` writes it inside the
 * object ({@link valueJson}), remembering the text of the last string value: a field that
 * repeats from request to request (the method, the transport) costs one comparison.
 *
 * @example
 * const method = new MemberText("method");
 * method.of("tools/call"); // ',"method":"tools/call"'
 * method.of(undefined); // "" (left out)
 */
export class MemberText {
  readonly #prefix: string;
  #value: string | undefined = undefined;
  #text = "";

  constructor(key: string) {
    this.#prefix = `,${JSON.stringify(key)}:`;
  }

  /** The member's text; `""` when the value is undefined, `null` when pino must write it. */
  of(value: unknown): string | null {
    if (value === this.#value && value !== undefined) return this.#text;
    const json = valueJson(value);
    if (json === undefined) return "";
    if (json === null) return null;
    const text = this.#prefix + json;
    if (typeof value === "string") {
      this.#value = value;
      this.#text = text;
    }
    return text;
  }
}
