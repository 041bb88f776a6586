import * as z from "zod";

/** One plugin entry of a plugins config. */
export interface PluginEntryConfig {
  /** A package name (`@acme/mcp-db`) or a path relative to the config file (`./plugins/db.js`). */
  module: string;
  /** The module's export holding the plugin (default `default`). */
  export?: string;
  /** The plugin's options (checked by its schema); strings may use `${ENV_VAR}`. */
  options?: unknown;
  /** When false, a plugin that fails to import or load is logged and skipped (default true). */
  required?: boolean;
}

/** A plugins config (`mcpforge.plugins.json`): which plugins to load, and their options. */
export interface PluginsConfig {
  $schema?: string;
  plugins: PluginEntryConfig[];
}

const entrySchema = z.strictObject({
  module: z.string().min(1),
  export: z.string().min(1).optional(),
  options: z.unknown().optional(),
  required: z.boolean().optional(),
});

const configSchema = z.strictObject({
  $schema: z.string().optional(),
  plugins: z.array(entrySchema),
});

function pathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(root)";
}

/**
 * Checks a plugins config: unknown keys are refused; every problem is listed with its path.
 *
 * @example
 * parseConfig({ plugins: [{ module: "./db.js" }] }, "mcpforge.plugins.json");
 */
export function parseConfig(value: unknown, source: string): PluginsConfig {
  const parsed = configSchema.safeParse(value);
  if (parsed.success) return parsed.data as PluginsConfig;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => `${pathOf([...issue.path, k])}: unknown key`).join("; ");
    }
    return `${pathOf(issue.path)}: ${issue.message}`;
  });
  throw new Error(`@mcpforge/plugins: invalid plugins config ${source}: ${problems.join("; ")}`);
}
