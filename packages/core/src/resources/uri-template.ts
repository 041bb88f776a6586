/** Values of URI template variables: a string, or a list for exploded and list variables. */
export type UriVariables = Record<string, string | string[]>;

type Operator = "" | "+" | "#" | "." | "/" | ";" | "?" | "&";

interface VarSpec {
  readonly name: string;
  readonly explode: boolean;
  readonly prefix: number | undefined;
}

interface Expression {
  readonly operator: Operator;
  readonly vars: readonly VarSpec[];
}

type Part =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "expression"; readonly expression: Expression };

interface OperatorInfo {
  readonly first: string;
  readonly sep: string;
  readonly named: boolean;
  readonly ifEmpty: string;
  readonly allowReserved: boolean;
}

/** The expansion table of RFC 6570, appendix A. */
const OPERATORS: Readonly<Record<Operator, OperatorInfo>> = {
  "": { first: "", sep: ",", named: false, ifEmpty: "", allowReserved: false },
  "+": { first: "", sep: ",", named: false, ifEmpty: "", allowReserved: true },
  "#": { first: "#", sep: ",", named: false, ifEmpty: "", allowReserved: true },
  ".": { first: ".", sep: ".", named: false, ifEmpty: "", allowReserved: false },
  "/": { first: "/", sep: "/", named: false, ifEmpty: "", allowReserved: false },
  ";": { first: ";", sep: ";", named: true, ifEmpty: "", allowReserved: false },
  "?": { first: "?", sep: "&", named: true, ifEmpty: "=", allowReserved: false },
  "&": { first: "&", sep: "&", named: true, ifEmpty: "=", allowReserved: false },
};

const OPERATOR_CHARS = "+#./;?&";
const RESERVED_OPERATOR_CHARS = "=,!@|";
const VARNAME = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+(?:\.(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+)*$/;
const PREFIX_LENGTH = /^[1-9][0-9]{0,3}$/;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const RESERVED = /^[:/?#[\]@!$&'()*+,;=]$/;
const PCT_TRIPLET = /^%[0-9A-Fa-f]{2}$/;

const utf8 = new TextEncoder();

/** Percent-encodes every character outside the allowed set (unreserved, plus reserved if asked). */
function encode(value: string, allowReserved: boolean): string {
  let out = "";
  let i = 0;
  while (i < value.length) {
    if (allowReserved && value[i] === "%" && PCT_TRIPLET.test(value.slice(i, i + 3))) {
      out += value.slice(i, i + 3);
      i += 3;
      continue;
    }
    const char = String.fromCodePoint(value.codePointAt(i) ?? 0);
    i += char.length;
    if (UNRESERVED.test(char) || (allowReserved && RESERVED.test(char))) {
      out += char;
    } else {
      for (const byte of utf8.encode(char)) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
      }
    }
  }
  return out;
}

/** Percent-decodes once; null when the encoding is malformed. */
function decode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Characters of a single, non-exploded value (which may contain the operator's separator). */
function wideClass(operator: Operator): string {
  switch (operator) {
    case "+":
    case "#":
      return "[\\s\\S]";
    case "/":
      return "[^/?#]";
    default:
      return "[^/?#&]";
  }
}

/** Characters of one item of a list or of a multi-variable expression (excluding the separator). */
function itemClass(operator: Operator): string {
  switch (operator) {
    case "+":
    case "#":
      return "[^,]";
    case "/":
      return "[^/?#]";
    case ".":
      return "[^/?#&.]";
    default:
      return "[^/?#&,]";
  }
}

type Pool = "matrix" | "query";

type Capture =
  | { readonly kind: "value"; readonly name: string }
  | {
      readonly kind: "list";
      readonly name: string;
      readonly sep: string;
      readonly leading: boolean;
    }
  | { readonly kind: "params"; readonly pool: Pool; readonly sep: string };

interface NamedVar {
  readonly spec: VarSpec;
  readonly pool: Pool;
}

/**
 * An RFC 6570 URI template, compiled once to match URIs against it and to expand it.
 *
 * @example
 * const t = new UriTemplate("reports/{report_type}/{date_range}");
 * t.match("reports/sales/2024-q1"); // { report_type: "sales", date_range: "2024-q1" }
 * t.expand({ report_type: "sales", date_range: "2024 q1" }); // "reports/sales/2024%20q1"
 */
export class UriTemplate {
  readonly template: string;
  readonly variableNames: readonly string[];
  readonly #parts: readonly Part[];
  readonly #regex: RegExp;
  readonly #captures: readonly Capture[];
  readonly #namedVars: readonly NamedVar[];
  readonly #slashVars: ReadonlySet<string>;

  /**
   * Parses and compiles a template; throws an Error when it is malformed.
   *
   * @example
   * new UriTemplate("file:///{+path}{?version}");
   */
  constructor(template: string) {
    if (typeof template !== "string") {
      throw new Error("URI template must be a string");
    }
    this.template = template;
    this.#parts = parseTemplate(template);
    const names: string[] = [];
    for (const part of this.#parts) {
      if (part.kind !== "expression") continue;
      for (const spec of part.expression.vars) {
        if (names.includes(spec.name)) {
          throw templateError(template, `duplicate variable name "${spec.name}"`);
        }
        names.push(spec.name);
      }
    }
    this.variableNames = Object.freeze(names);
    const slash = new Set<string>();
    for (const part of this.#parts) {
      if (part.kind !== "expression") continue;
      const op = part.expression.operator;
      if (op === "+" || op === "#" || op === "/") {
        for (const spec of part.expression.vars) slash.add(spec.name);
      }
    }
    this.#slashVars = slash;
    const compiled = compile(this.#parts);
    this.#regex = compiled.regex;
    this.#captures = compiled.captures;
    this.#namedVars = compiled.namedVars;
  }

  /**
   * Whether a variable is a reserved or path expansion (`{+path}`, `{#frag}`, `{/seg*}`), whose
   * values may hold `/`; a simple or form-style expansion's value is one segment.
   *
   * @example
   * new UriTemplate("file:///{+path}").allowsSlash("path"); // true
   */
  allowsSlash(name: string): boolean {
    return this.#slashVars.has(name);
  }

  /**
   * Matches a URI against the template; returns its percent-decoded variables, or null.
   *
   * @example
   * new UriTemplate("test://template/{id}/data").match("test://template/42/data"); // { id: "42" }
   */
  match(uri: string): UriVariables | null {
    const m = this.#regex.exec(uri);
    if (m === null) return null;
    const values = new Map<string, string | string[]>();
    const pools: Record<Pool, Array<readonly [string, string]>> = { matrix: [], query: [] };
    for (const [index, capture] of this.#captures.entries()) {
      const text = m[index + 1];
      if (text === undefined) continue;
      if (capture.kind === "value") {
        const value = decode(text);
        if (value === null) return null;
        values.set(capture.name, value);
      } else if (capture.kind === "list") {
        const raw = capture.leading
          ? text === ""
            ? []
            : text.slice(1).split(capture.sep)
          : text.split(capture.sep);
        const items: string[] = [];
        for (const item of raw) {
          const value = decode(item);
          if (value === null) return null;
          items.push(value);
        }
        values.set(capture.name, items);
      } else {
        for (const piece of text.split(capture.sep)) {
          if (piece === "") continue;
          const eq = piece.indexOf("=");
          pools[capture.pool].push(
            eq < 0 ? [piece, ""] : [piece.slice(0, eq), piece.slice(eq + 1)],
          );
        }
      }
    }
    for (const { spec, pool } of this.#namedVars) {
      const found: string[] = [];
      for (const [key, raw] of pools[pool]) {
        if (key !== spec.name && decode(key) !== spec.name) continue;
        const value = decode(raw);
        if (value === null) return null;
        found.push(value);
      }
      const first = found[0];
      if (first === undefined) continue;
      values.set(spec.name, spec.explode ? found : first);
    }
    const entries: Array<[string, string | string[]]> = [];
    for (const name of this.variableNames) {
      const value = values.get(name);
      if (value !== undefined) entries.push([name, value]);
    }
    return Object.fromEntries(entries);
  }

  /**
   * Expands the template with the given variables (RFC 6570, levels 1-4).
   *
   * @example
   * new UriTemplate("/search{?q,page}").expand({ q: "a b" }); // "/search?q=a%20b"
   */
  expand(variables: UriVariables): string {
    let out = "";
    for (const part of this.#parts) {
      out +=
        part.kind === "literal"
          ? encode(part.text, true)
          : expandExpression(part.expression, variables);
    }
    return out;
  }

  /**
   * Returns the template text.
   *
   * @example
   * String(new UriTemplate("a/{b}")); // "a/{b}"
   */
  toString(): string {
    return this.template;
  }
}

/**
 * Tells whether a string contains a URI template expression `{...}`.
 *
 * @example
 * isUriTemplate("file:///{path}"); // true
 * isUriTemplate("file:///readme.md"); // false
 */
export function isUriTemplate(s: string): boolean {
  return /\{[^{}]+\}/.test(s);
}

function templateError(template: string, reason: string): Error {
  return new Error(`Invalid URI template ${JSON.stringify(template)}: ${reason}`);
}

function parseTemplate(template: string): Part[] {
  const parts: Part[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    const char = template[i];
    if (char === "}") {
      throw templateError(template, `unmatched "}" at position ${i}`);
    }
    if (char !== "{") {
      literal += char;
      i++;
      continue;
    }
    const close = template.indexOf("}", i + 1);
    const nested = template.indexOf("{", i + 1);
    if (close < 0 || (nested >= 0 && nested < close)) {
      throw templateError(template, `unclosed "{" at position ${i}`);
    }
    if (literal !== "") {
      parts.push({ kind: "literal", text: literal });
      literal = "";
    }
    parts.push({
      kind: "expression",
      expression: parseExpression(template, i, template.slice(i + 1, close)),
    });
    i = close + 1;
  }
  if (literal !== "") parts.push({ kind: "literal", text: literal });
  return parts;
}

function parseExpression(template: string, position: number, body: string): Expression {
  if (body === "") {
    throw templateError(template, `empty expression "{}" at position ${position}`);
  }
  const head = body[0] ?? "";
  if (RESERVED_OPERATOR_CHARS.includes(head)) {
    throw templateError(template, `unsupported operator "${head}" at position ${position}`);
  }
  const operator = (OPERATOR_CHARS.includes(head) ? head : "") as Operator;
  const list = body.slice(operator.length);
  if (list === "") {
    throw templateError(template, `expression at position ${position} has no variable`);
  }
  const vars = list.split(",").map((raw): VarSpec => {
    let name = raw;
    let explode = false;
    let prefix: number | undefined;
    if (raw.endsWith("*")) {
      explode = true;
      name = raw.slice(0, -1);
    } else {
      const colon = raw.indexOf(":");
      if (colon >= 0) {
        const length = raw.slice(colon + 1);
        if (!PREFIX_LENGTH.test(length)) {
          throw templateError(
            template,
            `invalid prefix length "${length}" for "${raw}" (expected 1-9999)`,
          );
        }
        name = raw.slice(0, colon);
        prefix = Number(length);
      }
    }
    if (!VARNAME.test(name)) {
      throw templateError(template, `bad variable name "${name}" at position ${position}`);
    }
    return { name, explode, prefix };
  });
  return { operator, vars };
}

function compile(parts: readonly Part[]): {
  regex: RegExp;
  captures: Capture[];
  namedVars: NamedVar[];
} {
  const captures: Capture[] = [];
  const namedVars: NamedVar[] = [];
  let source = "";
  for (const part of parts) {
    if (part.kind === "literal") {
      const raw = escapeRegExp(part.text);
      const encoded = escapeRegExp(encode(part.text, true));
      source += raw === encoded ? raw : `(?:${raw}|${encoded})`;
      continue;
    }
    const { operator, vars } = part.expression;
    const info = OPERATORS[operator];
    if (info.named) {
      const pool: Pool = operator === ";" ? "matrix" : "query";
      source += operator === ";" ? "((?:;[^;/?#]*)*)" : `(?:${escapeRegExp(info.first)}([^#]*))?`;
      captures.push({ kind: "params", pool, sep: info.sep });
      for (const spec of vars) namedVars.push({ spec, pool });
      continue;
    }
    for (const [index, spec] of vars.entries()) {
      const lead = escapeRegExp(index === 0 ? info.first : info.sep);
      const optional = index > 0;
      if (spec.explode && (operator === "/" || operator === ".")) {
        source += `((?:${escapeRegExp(info.sep)}${itemClass(operator)}*)*)`;
        captures.push({ kind: "list", name: spec.name, sep: info.sep, leading: true });
        continue;
      }
      let group: string;
      if (spec.explode) {
        const item = `${itemClass(operator)}+?`;
        group = `${lead}(${item}(?:${escapeRegExp(info.sep)}${item})*?)`;
        captures.push({ kind: "list", name: spec.name, sep: info.sep, leading: false });
      } else {
        const cls = vars.length === 1 ? wideClass(operator) : itemClass(operator);
        group = `${lead}(${cls}+?)`;
        captures.push({ kind: "value", name: spec.name });
      }
      source += optional ? `(?:${group})?` : group;
    }
  }
  return { regex: new RegExp(`^${source}$`), captures, namedVars };
}

function lookup(variables: UriVariables, name: string): string | string[] | undefined {
  if (!Object.hasOwn(variables, name)) return undefined;
  const value: unknown = variables[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    return value.length === 0 ? undefined : value;
  }
  throw new Error(`URI template variable "${name}" must be a string or an array of strings`);
}

function expandExpression(expression: Expression, variables: UriVariables): string {
  const info = OPERATORS[expression.operator];
  const enc = (value: string): string => encode(value, info.allowReserved);
  const named = (name: string, encoded: string): string =>
    encoded === "" ? `${name}${info.ifEmpty}` : `${name}=${encoded}`;
  const results: string[] = [];
  for (const spec of expression.vars) {
    const value = lookup(variables, spec.name);
    if (value === undefined) continue;
    if (typeof value === "string") {
      const cut =
        spec.prefix === undefined ? value : Array.from(value).slice(0, spec.prefix).join("");
      results.push(info.named ? named(spec.name, enc(cut)) : enc(cut));
    } else if (!spec.explode) {
      const joined = value.map(enc).join(",");
      results.push(info.named ? `${spec.name}=${joined}` : joined);
    } else {
      results.push(
        value.map((item) => (info.named ? named(spec.name, enc(item)) : enc(item))).join(info.sep),
      );
    }
  }
  return results.length === 0 ? "" : info.first + results.join(info.sep);
}
