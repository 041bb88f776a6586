import type { LineTail } from "./line.js";

/** A string `JSON.stringify` writes as it is between quotes (nothing to escape, no surrogate). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * `JSON.stringify(text)`, without the serializer for text that needs no escaping.
 *
 * @example
 * quote("tools/call"); // '"tools/call"'
 * quote('say "hi"'); // '"say \\"hi\\""'
 */
export function quote(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** A member's value made only for a logger that serializes the line itself. */
class Lazy {
  readonly make: () => unknown;
  constructor(make: () => unknown) {
    this.make = make;
  }
}

/**
 * The members of a log line, built in order both as JSON text — what `JSON.stringify` writes
 * for them in an object — and as values (`add()` puts them on a fields object, for a logger
 * that serializes itself). Strings and numbers are written without the serializer; a member
 * whose text the caller already has (serialized arguments, headers) is written as it is.
 * Keys must be plain identifiers.
 *
 * @example
 * const line = new LineMembers();
 * line.value("method", "tools/call");
 * line.value("principal", undefined); // left out of the text, as JSON.stringify does
 * line.json; // ',"method":"tools/call"'
 */
export class LineMembers implements LineTail {
  json = "";
  readonly #keys: string[] = [];
  readonly #values: unknown[] = [];

  /** Adds `key` with `value`, written as `JSON.stringify` would. */
  value(key: string, value: unknown): void {
    this.#keys.push(key);
    this.#values.push(value);
    let text: string | undefined;
    if (typeof value === "string") text = quote(value);
    else if (typeof value === "number") text = Number.isFinite(value) ? String(value) : "null";
    else if (typeof value === "boolean") text = value ? "true" : "false";
    else if (value === undefined) return;
    else {
      // As a member, so a toJSON() gets its key; undefined for what JSON leaves out.
      const json = JSON.stringify({ [key]: value });
      if (json === "{}") return;
      text = json.slice(key.length + 4, -1);
    }
    this.json += `,"${key}":${text}`;
  }

  /** Adds `key` whose JSON text is `json`; its value is `make()`, made only when needed. */
  text(key: string, json: string, make: () => unknown): void {
    this.#keys.push(key);
    this.#values.push(new Lazy(make));
    this.json += `,"${key}":${json}`;
  }

  add(fields: Record<string, unknown>): void {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) {
      const value = this.#values[i];
      fields[keys[i] as string] = value instanceof Lazy ? value.make() : value;
    }
  }
}
