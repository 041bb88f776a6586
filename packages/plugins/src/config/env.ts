/** `$$` (a literal `$`), or `${NAME}` / `${NAME:-default}`; any other `${` is an error. */
const TOKEN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{/g;

/** Where a value sits in the config, for error messages: `plugins[0].options.url`. */
function at(path: string, key: string | number): string {
  return typeof key === "number"
    ? `${path}[${key}]`
    : /^[A-Za-z_$][\w$]*$/.test(key)
      ? `${path}.${key}`
      : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of a JSON value with variables
 * from `env` (the default when the variable is unset or empty; `$$` is a literal `$`). Data
 * only: nothing is run, no shell is involved. A missing variable without a default is an
 * error naming the variable and where it is used.
 *
 * @example
 * substituteEnv({ url: "${DB_URL:-postgres://localhost/dev}" }, {}, "options");
 * // { url: "postgres://localhost/dev" }
 */
export function substituteEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  path: string,
): unknown {
  if (typeof value === "string") {
    return value.replace(TOKEN, (token, name: string | undefined, fallback: string | undefined) => {
      if (token === "$$") return "$";
      if (name === undefined) {
        throw new Error(
          `@mcpforge/plugins: ${path}: invalid variable reference in ${JSON.stringify(value)} (use \${NAME} or \${NAME:-default}; $$ for a literal $)`,
        );
      }
      const found = Object.hasOwn(env, name) ? env[name] : undefined;
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      throw new Error(
        `@mcpforge/plugins: ${path}: environment variable ${name} is not set (and has no default: use \${${name}:-default})`,
      );
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, at(path, i)));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env, at(path, k));
    return out;
  }
  return value;
}
