import { readFileSync } from "node:fs";
import * as path from "node:path";
import type * as z from "zod";

/** Where {@link defineSettings} reads its values from. */
export interface SettingsOptions {
  /** Prepended to every variable name, e.g. `APP_`. */
  prefix?: string;
  /** The `.env` file to fall back to, relative to `process.cwd()`; `false` disables it. */
  envFile?: string | false;
  /** The environment to read; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

/** One invalid setting: its environment variable name and what is wrong with it. */
export interface SettingsIssue {
  variable: string;
  message: string;
}

/**
 * Thrown by {@link defineSettings} with every invalid variable listed at once.
 *
 * @example
 * try {
 *   defineSettings(z.object({ port: z.number() }), { env: { PORT: "eighty" }, envFile: false });
 * } catch (e) {
 *   if (e instanceof SettingsError) console.error(e.issues); // [{ variable: "PORT", message: … }]
 * }
 */
export class SettingsError extends Error {
  readonly issues: SettingsIssue[];

  constructor(issues: SettingsIssue[]) {
    const lines = issues.map((issue) => `  ${issue.variable}: ${issue.message}`);
    super(`Invalid settings:\n${lines.join("\n")}`);
    this.name = "SettingsError";
    this.issues = issues;
  }
}

const SENSITIVE = /secret|token|password|key/i;
const MAX_SHOWN_VALUE = 100;

/** `maxRetries` → `MAX_RETRIES`, `apiURL` → `API_URL`, `HTTPServer` → `HTTP_SERVER`. */
function toUpperSnake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}

/** Strips optional/default/nullable-style wrappers down to the type that receives the value. */
function baseType(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (let depth = 0; depth < 32; depth++) {
    const def = current._zod.def as z.core.$ZodTypeDef & {
      innerType?: z.core.$ZodType;
      in?: z.core.$ZodType;
    };
    const next = def.type === "pipe" ? def.in : def.innerType;
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

function coerce(raw: string, schema: z.core.$ZodType): unknown {
  const base = baseType(schema);
  const def = base._zod.def as z.core.$ZodTypeDef & { element?: z.core.$ZodType };
  switch (def.type) {
    case "number": {
      const trimmed = raw.trim();
      const n = Number(trimmed);
      return trimmed === "" || Number.isNaN(n) ? raw : n;
    }
    case "boolean": {
      const lower = raw.trim().toLowerCase();
      if (["true", "1", "yes", "on"].includes(lower)) return true;
      if (["false", "0", "no", "off"].includes(lower)) return false;
      return raw;
    }
    case "array": {
      const element = def.element;
      const items = raw
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
      return element === undefined ? items : items.map((item) => coerce(item, element));
    }
    default:
      return raw;
  }
}

function readEnvFile(envFile: string | false | undefined): Record<string, string> {
  if (envFile === false) return {};
  const file = path.resolve(process.cwd(), envFile ?? ".env");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return {};
    throw new Error(`Cannot read env file ${file}: ${(error as Error).message}`);
  }
  return parseDotEnv(text);
}

function describeValue(key: string, variable: string, raw: string | undefined): string {
  if (raw === undefined) return " (not set)";
  if (SENSITIVE.test(key) || SENSITIVE.test(variable)) return " (value: <redacted>)";
  const shown =
    raw.length > MAX_SHOWN_VALUE
      ? `${JSON.stringify(raw.slice(0, MAX_SHOWN_VALUE))}…`
      : JSON.stringify(raw);
  return ` (value: ${shown})`;
}

/**
 * Reads, coerces and validates settings from the environment (and a `.env` file) with a zod object.
 *
 * Each key maps to `prefix + UPPER_SNAKE(key)`. Throws one {@link SettingsError} listing every
 * invalid variable.
 *
 * @example
 * const settings = defineSettings(
 *   z.object({ port: z.number().int().default(3000), debug: z.boolean().default(false) }),
 *   { prefix: "APP_" },
 * ); // reads APP_PORT and APP_DEBUG
 */
export function defineSettings<S extends z.ZodObject>(
  schema: S,
  options: SettingsOptions = {},
): z.output<S> {
  const prefix = options.prefix ?? "";
  const env = options.env ?? process.env;
  const fileValues = readEnvFile(options.envFile);
  const shape = schema.shape as Record<string, z.core.$ZodType>;
  const variables = new Map<string, { variable: string; raw: string | undefined }>();
  const input: Array<[string, unknown]> = [];
  for (const [key, field] of Object.entries(shape)) {
    const variable = prefix + toUpperSnake(key);
    const fromEnv = Object.hasOwn(env, variable) ? env[variable] : undefined;
    const fromFile = Object.hasOwn(fileValues, variable) ? fileValues[variable] : undefined;
    const raw = fromEnv !== undefined && fromEnv !== "" ? fromEnv : fromFile || undefined;
    variables.set(key, { variable, raw });
    if (raw !== undefined) input.push([key, coerce(raw, field)]);
  }
  const result = schema.safeParse(Object.fromEntries(input));
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue): SettingsIssue => {
    const [head, ...rest] = issue.path;
    const key = head === undefined ? undefined : String(head);
    const known = key === undefined ? undefined : variables.get(key);
    if (known === undefined) {
      return {
        variable: key === undefined ? "(settings)" : prefix + toUpperSnake(key),
        message: issue.message,
      };
    }
    const where = rest.length > 0 ? `at ${rest.map(String).join(".")}: ` : "";
    return {
      variable: known.variable,
      message: `${where}${issue.message}${describeValue(key ?? "", known.variable, known.raw)}`,
    };
  });
  throw new SettingsError(issues);
}

function unescapeDoubleQuoted(value: string): string {
  return value.replace(/\\([nrt"\\])/g, (_, char: string) => {
    switch (char) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      default:
        return char;
    }
  });
}

/** Finds the closing quote at or after `from`; for double quotes, skips backslash escapes. */
function findClosingQuote(text: string, quote: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote === '"' && char === "\\") {
      i++;
    } else if (char === quote) {
      return i;
    }
  }
  return -1;
}

/**
 * Parses the text of a `.env` file into variables.
 *
 * Handles `KEY=value`, `export KEY=value`, comments, blank lines, single- and double-quoted
 * values (double quotes understand `\n`, `\r`, `\t`, `\"`, `\\`, and may span lines) and inline
 * ` #` comments after unquoted values.
 *
 * @example
 * parseDotEnv('PORT=8080 # http\nexport NAME="a\\nb"'); // { PORT: "8080", NAME: "a\nb" }
 */
export function parseDotEnv(text: string): Record<string, string> {
  const result = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) continue;
    const key = match[1] ?? "";
    let value = match[2] ?? "";
    const quote = value[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may continue on the following lines until its closing quote.
      let body = value;
      let close = findClosingQuote(body, quote, 1);
      let last = index;
      while (close < 0 && last + 1 < lines.length) {
        last++;
        body += `\n${lines[last] ?? ""}`;
        close = findClosingQuote(body, quote, 1);
      }
      if (close >= 0) {
        index = last;
        const inner = body.slice(1, close);
        value = quote === '"' ? unescapeDoubleQuoted(inner) : inner;
      } else {
        value = value.replace(/\s+#.*$/, "").trim();
      }
    } else {
      value = value.replace(/(^|\s+)#.*$/, "").trim();
    }
    result.set(key, value);
  }
  return Object.fromEntries(result);
}
