import { createRequire } from "node:module";
import type { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import * as z from "zod";

const JSON_SCHEMA_BRAND: unique symbol = Symbol.for("mcpforge.jsonSchema");

/** A plain JSON Schema used as an escape hatch where a zod schema does not fit. */
export interface JsonSchemaInput<T = Record<string, unknown>> {
  readonly [JSON_SCHEMA_BRAND]: true;
  readonly schema: Record<string, unknown>;
  /** Phantom type of the validated value. */
  readonly __type?: T;
}

/** A tool's input (or output) schema: a zod object, a raw zod shape, or a plain JSON Schema. */
export type SchemaInput = z.ZodObject | z.ZodRawShape | JsonSchemaInput<unknown>;

/** The parsed value type of a {@link SchemaInput}. */
export type InferSchema<S> = S extends z.ZodType
  ? z.output<S>
  : S extends JsonSchemaInput<infer T>
    ? T
    : S extends z.ZodRawShape
      ? z.output<z.ZodObject<S>>
      : Record<string, unknown>;

/**
 * Wraps a plain JSON Schema object so it is served exactly as given and validated with ajv.
 *
 * @example
 * app.tool("echo", { input: jsonSchema({ type: "object", properties: { x: { type: "string" } } }) },
 *   (args) => args);
 */
export function jsonSchema<T = Record<string, unknown>>(
  schema: Record<string, unknown>,
): JsonSchemaInput<T> {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) {
    throw new Error("@mcpforge/core: jsonSchema() takes a JSON Schema object");
  }
  return { [JSON_SCHEMA_BRAND]: true, schema } as JsonSchemaInput<T>;
}

/** A validation issue: where (a dotted path) and what went wrong. */
export interface SchemaIssue {
  path: string;
  message: string;
}

/** The outcome of {@link CompiledSchema.validate}. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: SchemaIssue[] };

/** A schema compiled once at registration: its JSON Schema and a validator. */
export interface CompiledSchema<T = unknown> {
  readonly jsonSchema: Record<string, unknown> & { type: "object" };
  validate(value: unknown): ValidationResult<T>;
}

function isJsonSchemaInput(s: unknown): s is JsonSchemaInput<unknown> {
  return typeof s === "object" && s !== null && JSON_SCHEMA_BRAND in s;
}

function isZodType(s: unknown): s is z.ZodType {
  return s instanceof z.ZodType || (typeof s === "object" && s !== null && "_zod" in s);
}

/** A zod 3 schema (or zod 4's `zod/v3` compatibility export): `_def` and `safeParse`, no `_zod`. */
function isZod3(s: unknown): boolean {
  return (
    typeof s === "object" &&
    s !== null &&
    !("_zod" in s) &&
    "_def" in s &&
    typeof (s as { safeParse?: unknown }).safeParse === "function"
  );
}

function zod3Error(what: string): Error {
  return new Error(
    `@mcpforge/core: ${what} is a zod 3 schema; MCP Forge needs zod 4 (install zod@^4 and import * as z from "zod")`,
  );
}

let ajv: AjvJsonSchemaValidator | undefined;

function compileJsonSchema(input: JsonSchemaInput<unknown>, what: string): CompiledSchema {
  const schema = input.schema;
  if (schema.type !== "object") {
    throw new Error(`@mcpforge/core: ${what} must be a JSON Schema with "type": "object"`);
  }
  const { $schema: _ignored, ...rest } = schema;
  // Loaded on first use only: ajv is heavy and most servers never need it (faster cold start).
  ajv ??= new (
    createRequire(import.meta.url)("@modelcontextprotocol/sdk/validation/ajv") as {
      AjvJsonSchemaValidator: typeof AjvJsonSchemaValidator;
    }
  ).AjvJsonSchemaValidator();
  let check: ReturnType<AjvJsonSchemaValidator["getValidator"]>;
  try {
    check = ajv.getValidator(rest as never);
  } catch (err) {
    throw new Error(
      `@mcpforge/core: ${what} is not a valid JSON Schema: ${(err as Error).message}`,
    );
  }
  return {
    jsonSchema: schema as CompiledSchema["jsonSchema"],
    validate(value) {
      const r = check(value);
      if (r.valid) return { ok: true, value: r.data };
      return { ok: false, issues: [{ path: "", message: r.errorMessage ?? "invalid" }] };
    },
  };
}

function describeIssue(issue: z.core.$ZodIssue): SchemaIssue {
  const path = issue.path.map(String).join(".");
  let message = issue.message;
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) {
    message = "is required";
  }
  return { path, message };
}

/**
 * Compiles an input or output schema once: converts it to JSON Schema (draft 2020-12) and
 * prepares its validator. Throws a clear error when the schema cannot be converted.
 *
 * @example
 * const compiled = compileSchema({ a: z.number() }, "input schema of tool add", "input");
 * compiled.validate({ a: 1 }); // { ok: true, value: { a: 1 } }
 */
export function compileSchema<T = unknown>(
  input: SchemaInput | undefined,
  what: string,
  io: "input" | "output" = "input",
): CompiledSchema<T> {
  if (input === undefined) {
    const empty = z.object({});
    return compileZod(empty, what, io) as CompiledSchema<T>;
  }
  if (isJsonSchemaInput(input)) return compileJsonSchema(input, what) as CompiledSchema<T>;
  if (isZod3(input)) throw zod3Error(what);
  if (isZodType(input)) {
    if (!(input instanceof z.ZodObject)) {
      throw new Error(
        `@mcpforge/core: ${what} must be a zod object (z.object({...})) or a raw shape`,
      );
    }
    return compileZod(input, what, io) as CompiledSchema<T>;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new Error(`@mcpforge/core: ${what} must be a zod object, a raw shape or jsonSchema()`);
  }
  for (const [key, value] of Object.entries(input)) {
    if (isZod3(value)) throw zod3Error(`${what}: field "${key}"`);
    if (!isZodType(value)) {
      throw new Error(`@mcpforge/core: ${what}: field "${key}" is not a zod schema`);
    }
  }
  return compileZod(z.object(input as z.ZodRawShape), what, io) as CompiledSchema<T>;
}

function compileZod(schema: z.ZodObject, what: string, io: "input" | "output"): CompiledSchema {
  let json: Record<string, unknown>;
  try {
    json = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "throw",
    }) as Record<string, unknown>;
  } catch (err) {
    throw new Error(
      `@mcpforge/core: ${what} cannot be converted to JSON Schema: ${(err as Error).message}`,
    );
  }
  return {
    jsonSchema: json as CompiledSchema["jsonSchema"],
    validate(value) {
      const r = schema.safeParse(value);
      if (r.success) return { ok: true, value: r.data };
      return { ok: false, issues: r.error.issues.map(describeIssue) };
    },
  };
}

/**
 * Formats validation issues as one line naming each bad field.
 *
 * @example
 * formatIssues([{ path: "a", message: "is required" }]); // "a: is required"
 */
export function formatIssues(issues: SchemaIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
}
