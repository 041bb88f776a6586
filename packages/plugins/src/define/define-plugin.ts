import { checkFunction, checkString, checkStringArray, optionsError } from "../internal/options.js";
import { isStandardSchema, type StandardSchemaV1 } from "../internal/standard-schema.js";
import { PLUGIN_BRAND, type Plugin, type PluginDefinition } from "./types.js";

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Defines a plugin: a name and version, the plugins it depends on, an options schema checked
 * at load time, and a `setup(api, options)` that registers tools, resources, prompts,
 * middleware, routes, extensions and methods (and may return a teardown function).
 *
 * @example
 * export default definePlugin({
 *   name: "greetings",
 *   version: "1.0.0",
 *   options: z.object({ greeting: z.string().default("Hello") }),
 *   setup(api, { greeting }) {
 *     api.tool("greet", { input: { name: z.string() } }, ({ name }) => `${greeting}, ${name}!`);
 *   },
 * });
 */
export function definePlugin<S extends StandardSchemaV1 | undefined = undefined>(
  definition: PluginDefinition<S>,
): Plugin<S> {
  const f = "definePlugin";
  if (typeof definition !== "object" || definition === null) {
    throw optionsError(f, "takes an object { name, version, setup }");
  }
  const { name, version, description, dependsOn, options, setup } = definition;
  if (typeof name !== "string" || !NAME_RE.test(name)) {
    throw optionsError(
      f,
      `name must be 1-128 characters from A-Z a-z 0-9 . _ - (reverse-DNS names are fine), got ${JSON.stringify(name)}`,
    );
  }
  checkString(f, "version", version, { nonEmpty: true });
  if (version === undefined) throw optionsError(f, `plugin "${name}" needs a version`);
  checkString(f, "description", description);
  checkStringArray(f, "dependsOn", dependsOn);
  if (dependsOn?.includes(name)) throw optionsError(f, `plugin "${name}" cannot depend on itself`);
  if (options !== undefined && !isStandardSchema(options)) {
    throw optionsError(
      f,
      `options of plugin "${name}" must be a zod schema (or any Standard Schema)`,
    );
  }
  if (setup === undefined) throw optionsError(f, `plugin "${name}" needs a setup function`);
  checkFunction(f, "setup", setup);
  return Object.freeze({
    ...definition,
    dependsOn: Object.freeze([...(dependsOn ?? [])]),
    [PLUGIN_BRAND]: true as const,
  }) as Plugin<S>;
}

/**
 * Whether a value is a plugin made by {@link definePlugin}.
 *
 * @example
 * isPlugin(definePlugin({ name: "a", version: "1.0.0", setup() {} })); // true
 * isPlugin({ name: "a", version: "1.0.0", setup() {} }); // false: only definePlugin() makes plugins
 */
export function isPlugin(value: unknown): value is Plugin {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true
  );
}
