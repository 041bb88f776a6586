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
 * `parts` as one flat string. A string made with `+` is a tree of its parts, which V8 walks
 * again every time it copies the string — for each log line it is part of, when the batch is
 * written — so a text kept to be reused in every line is made flat once (`join` writes its
 * parts into one new string).
 *
 * @example
 * const text = flat(',"method":', '"tools/call"'); // one piece in every line that reuses it
 */
export function flat(...parts: string[]): string {
  // One part is returned by `join` as it is (a tree stays a tree): copy it through JSON.
  return parts.length === 1 ? (JSON.parse(JSON.stringify(parts[0])) as string) : parts.join("");
}

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

/** The fractions .001 to .999 as JSON writes them (no trailing zeros); "" for none. */
const THOUSANDTHS = Array.from({ length: 1000 }, (_, n) =>
  n === 0 ? "" : `.${String(n).padStart(3, "0").replace(/0+$/, "")}`,
);

/**
 * `JSON.stringify(value)` for a number, made from tables when it is a whole number of
 * thousandths (a duration in ms rounded to µs): formatting a fraction is most of what writing
 * such a number costs. For n/1000 with n below 10^15 the text JSON writes — the shortest that
 * reads back as the number — is the decimal n/1000 itself: a decimal of at most 15 significant
 * digits is the only one that short to read back as its double.
 *
 * @example
 * thousandthsJson(12.3); // "12.3"
 * thousandthsJson(0.005); // "0.005"
 * thousandthsJson(Number.NaN); // "null"
 */
export function thousandthsJson(value: number): string {
  const thousandths = Math.round(value * 1000);
  if (thousandths >= 0 && thousandths < 1e15 && thousandths / 1000 === value) {
    const whole = Math.floor(thousandths / 1000);
    return `${whole}${THOUSANDTHS[thousandths - whole * 1000]}`;
  }
  return Number.isFinite(value) ? String(value) : "null";
}

/**
 * One member of a JSON object, `,"key":value`, as `JSON.stringify` writes it inside the
 * object ({@link valueJson}): `""` when the value is undefined (left out), `null` when pino
 * must write the line.
 *
 * @example
 * memberJson(',"requestId":', 7); // ',"requestId":7'
 */
export function memberJson(prefix: string, value: unknown): string | null {
  const json = valueJson(value);
  return json === undefined ? "" : json === null ? null : prefix + json;
}

/**
 * Three adjacent members of a JSON object (see {@link memberJson}) whose values mostly repeat
 * from line to line — the method, component and outcome; the session, transport and principal
 * — as one text, kept for the last values: the same values cost three comparisons, and the
 * text, made flat once reused, is one piece for every line to copy.
 *
 * @example
 * const run = new MemberRun("method", "component", "outcome");
 * run.of("tools/call", "echo", "ok"); // ',"method":"tools/call","component":"echo","outcome":"ok"'
 * run.of("ping", undefined, "ok"); // ',"method":"ping","outcome":"ok"'
 */
export class MemberRun {
  readonly #prefixes: readonly [string, string, string];
  #kept = false;
  #a: unknown;
  #b: unknown;
  #c: unknown;
  #text = "";
  #flat = false;

  constructor(a: string, b: string, c: string) {
    this.#prefixes = [`,${JSON.stringify(a)}:`, `,${JSON.stringify(b)}:`, `,${JSON.stringify(c)}:`];
  }

  /** The members' text; `null` when pino must write the line. */
  of(a: unknown, b: unknown, c: unknown): string | null {
    if (this.#kept && a === this.#a && b === this.#b && c === this.#c) {
      if (!this.#flat) {
        this.#text = flat(this.#text);
        this.#flat = true;
      }
      return this.#text;
    }
    const [pa, pb, pc] = this.#prefixes;
    const ta = memberJson(pa, a);
    const tb = memberJson(pb, b);
    const tc = memberJson(pc, c);
    if (ta === null || tb === null || tc === null) return null;
    const text = `${ta}${tb}${tc}`;
    this.#flat = false;
    // Written values are strings, numbers and undefined: `===` compares them by what they write.
    this.#kept = true;
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#text = text;
    return text;
  }
}
