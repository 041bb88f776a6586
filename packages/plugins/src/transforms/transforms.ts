import type { Tool } from "@mcpforge/core/client";
import { optionsError } from "../internal/options.js";

/** Which tools to keep: by name or by tag (a tool matching either list matches). */
export interface ToolFilter {
  names?: string[];
  tags?: string[];
}

/** Changes to one tool. */
export interface ToolTransform {
  /** A new name (before any namespace is added). */
  name?: string;
  title?: string;
  description?: string;
  /**
   * Arguments taken out of the tool's schema and fixed to these values: clients cannot see
   * or set them (a value they send anyway is replaced).
   */
  hide?: Record<string, unknown>;
  /** Tags to add (server-side labels for middleware and filters). */
  tags?: string[];
}

/**
 * Tool transforms for `mount()` and `createProxy()`: keep some tools (`include`), drop some
 * (`exclude`), and change single tools by their original name (`tools`).
 */
export interface ToolTransforms {
  include?: ToolFilter;
  exclude?: ToolFilter;
  tools?: Record<string, ToolTransform>;
}

/** A tool after the transforms: its entry and tags, and how to map arguments back. */
export interface TransformedTool {
  readonly entry: Tool;
  readonly tags: ReadonlySet<string>;
  /** Adds the hidden arguments' fixed values to the client's arguments. */
  readonly mapArgs: (args: unknown) => Record<string, unknown> | undefined;
}

function matches(filter: ToolFilter, name: string, tags: ReadonlySet<string>): boolean {
  if (filter.names?.includes(name)) return true;
  return filter.tags?.some((t) => tags.has(t)) ?? false;
}

function checkFilter(factory: string, field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionsError(factory, `${field} must be { names?, tags? }`);
  }
  for (const [key, list] of Object.entries(value)) {
    if (key !== "names" && key !== "tags")
      throw optionsError(factory, `${field}.${key} is not an option`);
    if (!Array.isArray(list) || list.some((v) => typeof v !== "string")) {
      throw optionsError(factory, `${field}.${key} must be an array of strings`);
    }
  }
}

const TRANSFORM_KEYS = new Set(["name", "title", "description", "hide", "tags"]);

/**
 * Checks tool transforms given to a factory (`mount`, `createProxy`).
 *
 * @example
 * checkToolTransforms("mount", { include: { tags: ["public"] } });
 */
export function checkToolTransforms(factory: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionsError(factory, "tools must be { include?, exclude?, tools? }");
  }
  const t = value as ToolTransforms;
  for (const key of Object.keys(t)) {
    if (!["include", "exclude", "tools"].includes(key)) {
      throw optionsError(factory, `tools.${key} is not an option (use include, exclude, tools)`);
    }
  }
  checkFilter(factory, "tools.include", t.include);
  checkFilter(factory, "tools.exclude", t.exclude);
  if (t.tools === undefined) return;
  if (typeof t.tools !== "object" || t.tools === null || Array.isArray(t.tools)) {
    throw optionsError(factory, "tools.tools must be an object keyed by tool name");
  }
  for (const [name, change] of Object.entries(t.tools)) {
    const at = `tools.tools[${JSON.stringify(name)}]`;
    if (typeof change !== "object" || change === null)
      throw optionsError(factory, `${at} must be an object`);
    for (const key of Object.keys(change)) {
      if (!TRANSFORM_KEYS.has(key)) throw optionsError(factory, `${at}.${key} is not an option`);
    }
    for (const key of ["name", "title", "description"] as const) {
      if (change[key] !== undefined && typeof change[key] !== "string") {
        throw optionsError(factory, `${at}.${key} must be a string`);
      }
    }
    if (
      change.hide !== undefined &&
      (typeof change.hide !== "object" || change.hide === null || Array.isArray(change.hide))
    ) {
      throw optionsError(factory, `${at}.hide must be an object of argument values`);
    }
    if (
      change.tags !== undefined &&
      (!Array.isArray(change.tags) || change.tags.some((v) => typeof v !== "string"))
    ) {
      throw optionsError(factory, `${at}.tags must be an array of strings`);
    }
  }
}

function hideArguments(schema: Tool["inputSchema"], hidden: string[]): Tool["inputSchema"] {
  const properties = { ...(schema.properties ?? {}) };
  for (const arg of hidden) delete properties[arg];
  const out: Tool["inputSchema"] = { ...schema, properties };
  if (Array.isArray(schema.required))
    out.required = schema.required.filter((r) => !hidden.includes(r));
  return out;
}

function identity(args: unknown): Record<string, unknown> | undefined {
  return args as Record<string, unknown> | undefined;
}

/**
 * Applies the transforms to one tool: undefined when filtered out, otherwise its new entry,
 * tags, and the argument mapping for hidden arguments.
 *
 * @example
 * const t = transformTool({ name: "search", inputSchema: { type: "object" } }, new Set(), {
 *   tools: { search: { name: "find", hide: { limit: 10 } } },
 * });
 * t?.entry.name; // "find"
 */
export function transformTool(
  entry: Tool,
  tags: ReadonlySet<string>,
  transforms: ToolTransforms | undefined,
): TransformedTool | undefined {
  if (!transforms) return { entry, tags, mapArgs: identity };
  const original = entry.name;
  if (transforms.include && !matches(transforms.include, original, tags)) return undefined;
  if (transforms.exclude && matches(transforms.exclude, original, tags)) return undefined;
  const change =
    transforms.tools && Object.hasOwn(transforms.tools, original)
      ? transforms.tools[original]
      : undefined;
  if (!change) return { entry, tags, mapArgs: identity };
  const next: Tool = { ...entry };
  if (change.name !== undefined) next.name = change.name;
  if (change.title !== undefined) next.title = change.title;
  if (change.description !== undefined) next.description = change.description;
  const hidden = change.hide ? Object.entries(change.hide) : [];
  if (hidden.length > 0)
    next.inputSchema = hideArguments(
      entry.inputSchema,
      hidden.map(([k]) => k),
    );
  const fixed = change.hide ?? {};
  const mapArgs =
    hidden.length === 0
      ? identity
      : (args: unknown) => ({ ...((args ?? {}) as Record<string, unknown>), ...fixed });
  const allTags = change.tags ? new Set([...tags, ...change.tags]) : tags;
  return { entry: next, tags: allTags, mapArgs };
}
