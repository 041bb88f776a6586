import { ESCAPED_SURROGATE, flat, quote } from "./json-text.js";

/**
 * What a redacted value (a secret header's, a secret argument's) is logged as.
 *
 * @example
 * const logged = { "x-api-key": REDACTED };
 */
export const REDACTED = "[REDACTED]";
const REDACTED_JSON = JSON.stringify(REDACTED);

/** Header names always redacted, whatever the redaction keys. */
const ALWAYS_REDACTED_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
]);
const NAMES_KEPT = 1000;
/** Stands for a secret header's value in the cache of the last request's headers. */
const SECRET = Symbol("secret");

type Headers = Record<string, string | string[] | undefined>;

/**
 * How a request's headers are logged: {@link headerLogging}.
 *
 * @example
 * const log: HeaderLogging = headerLogging((key) => key.includes("token"));
 * log.logged({ host: "a", cookie: "c" }); // { host: "a", cookie: "[REDACTED]" }
 */
export interface HeaderLogging {
  /** Whether a header's value is redacted (a redaction key, or always-redacted). */
  isSecret(name: string): boolean;
  /** The headers as logged: the object itself when nothing needs redacting, else a redacted copy. */
  logged(headers: Headers): Record<string, unknown>;
  /** `JSON.stringify(logged(headers))`, without making the copy. */
  json(headers: Headers): string;
  /**
   * `json(headers)`, or `undefined` when that text escapes a lone surrogate (its line is
   * pino's to write): known from each header's text as it is made, not by searching the line.
   */
  plainJson(headers: Headers): string | undefined;
}

/**
 * The logged form of request headers: values of secret headers replaced by `"[REDACTED]"`,
 * headers without a value left out. `json()` writes it as JSON text directly, reusing the
 * text of each header that has the same name and value as the header in the same place of the
 * request before (a client sends mostly the same headers every time), so most of a line's
 * headers cost a comparison instead of serializing and copying.
 *
 * @example
 * const headers = headerLogging((key) => key.toLowerCase().includes("key"));
 * headers.json({ host: "a", "x-api-key": "k" }); // '{"host":"a","x-api-key":"[REDACTED]"}'
 */
export function headerLogging(isSecretKey: (key: string) => boolean): HeaderLogging {
  const secret = new Map<string, boolean>();
  const isSecret = (name: string): boolean => {
    let hit = secret.get(name);
    if (hit === undefined) {
      hit = isSecretKey(name) || ALWAYS_REDACTED_HEADERS.has(name.toLowerCase());
      if (secret.size < NAMES_KEPT) secret.set(name, hit);
    }
    return hit;
  };
  // The last request's headers, by place: name, value (not kept for a secret header, whose
  // text does not depend on it) and their `"name":value` text.
  const names: string[] = [];
  const values: unknown[] = [];
  const texts: string[] = [];
  // Whether the text of the header in that place escapes a lone surrogate.
  const escapes: boolean[] = [];
  // joined[i]: the texts of places 0 to i joined with commas, right for the first
  // `joinedValid` places: a request whose first headers are the last request's reuses them.
  const joined: string[] = [];
  const joinedFlat: boolean[] = [];
  let joinedValid = 0;
  // The last text json() made and for how many places, reused whole by a request with the
  // same headers (places past those kept never count as the same); made flat once reused (every line copies a flat text as one
  // piece; a text used once is not worth the copy).
  let whole = "";
  let wholePlaces = -1;
  let wholeFlat = false;
  // Whether the text `json()` made last escapes a lone surrogate.
  let escaped = false;
  const json = (headers: Headers): string => {
    let out = "";
    let i = 0;
    // Whether every place so far is the last request's (its joined text still right).
    let same = true;
    escaped = false;
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined) continue;
      let text: string;
      if (names[i] === name && (values[i] === value || values[i] === SECRET)) {
        if (escapes[i] === true) escaped = true;
        if (same && i < joinedValid) {
          i++;
          continue;
        }
        text = texts[i] as string;
      } else {
        const hidden = isSecret(name);
        const valueText = hidden
          ? REDACTED_JSON
          : typeof value === "string"
            ? quote(value)
            : JSON.stringify(value);
        text = `${quote(name)}:${valueText}`;
        const escapesSurrogate = text.includes(ESCAPED_SURROGATE);
        if (escapesSurrogate) escaped = true;
        if (i < NAMES_KEPT) {
          names[i] = name;
          values[i] = hidden ? SECRET : value;
          texts[i] = text;
          escapes[i] = escapesSurrogate;
        }
      }
      if (same) {
        // The first place that differs: the places before it are joined already (made flat
        // once reused, as the whole text is).
        same = false;
        if (i > 0 && joinedFlat[i - 1] !== true) {
          joined[i - 1] = flat(joined[i - 1] as string);
          joinedFlat[i - 1] = true;
        }
        out = i === 0 ? "" : (joined[i - 1] as string);
      }
      out = i === 0 ? text : `${out},${text}`;
      if (i < NAMES_KEPT) {
        // Places past this one, joined by an earlier request, are joined anew when they come.
        joined[i] = out;
        joinedFlat[i] = false;
        joinedValid = i + 1;
      }
      i++;
    }
    if (same) {
      if (i === wholePlaces) {
        if (!wholeFlat) {
          whole = flat(whole);
          wholeFlat = true;
        }
        return whole;
      }
      out = i === 0 ? "" : (joined[i - 1] as string);
    }
    whole = `{${out}}`;
    wholeFlat = false;
    wholePlaces = i;
    return whole;
  };
  return {
    isSecret,
    logged(headers) {
      let copy = false;
      for (const name in headers) {
        if (headers[name] === undefined || isSecret(name)) {
          copy = true;
          break;
        }
      }
      if (!copy) return headers;
      const out: Record<string, unknown> = {};
      for (const name in headers) {
        const value = headers[name];
        if (value === undefined) continue;
        out[name] = isSecret(name) ? REDACTED : value;
      }
      return out;
    },
    json,
    plainJson(headers) {
      const text = json(headers);
      return escaped ? undefined : text;
    },
  };
}
