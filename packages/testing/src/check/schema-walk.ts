/** A JSON Schema node met while walking an input schema, with its path (`items[].name`). */
export interface SchemaNode {
  path: string;
  schema: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Visits every subschema of a tool's input schema that a value can reach: properties,
 * array items, `additionalProperties`, and the branches of `anyOf`/`oneOf`/`allOf` (reported
 * under their parent's path). The root itself is not visited.
 *
 * @example
 * const inputSchema = {
 *   type: "object",
 *   properties: { tags: { type: "array", items: { type: "string" } } },
 * };
 * for (const { path, schema } of walkSchema(inputSchema)) console.log(path, schema.type);
 * // tags array
 * // tags[] string
 */
export function* walkSchema(root: unknown, path = ""): Generator<SchemaNode> {
  if (!isObject(root)) return;
  const child = function* (sub: unknown, subPath: string): Generator<SchemaNode> {
    if (!isObject(sub)) return;
    yield { path: subPath, schema: sub };
    yield* walkSchema(sub, subPath);
  };
  if (isObject(root.properties)) {
    for (const [key, sub] of Object.entries(root.properties)) {
      yield* child(sub, path === "" ? key : `${path}.${key}`);
    }
  }
  yield* child(root.items, `${path}[]`);
  if (Array.isArray(root.prefixItems)) {
    for (const [i, sub] of root.prefixItems.entries()) yield* child(sub, `${path}[${i}]`);
  }
  yield* child(root.additionalProperties, `${path}{}`);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const branches = root[key];
    if (!Array.isArray(branches)) continue;
    for (const branch of branches) {
      if (path === "") yield* walkSchema(branch, path);
      else yield* child(branch, path);
    }
  }
}

/** The JSON Schema `type` of a node as a list (`["string", "null"]` → both). */
export function typesOf(schema: Record<string, unknown>): string[] {
  const t = schema.type;
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
  return [];
}

/** Whether the node is fixed to a list of values (`enum` or `const`). */
export function isEnumerated(schema: Record<string, unknown>): boolean {
  return Array.isArray(schema.enum) || "const" in schema;
}
