import { McpForgeError, resolveRealPathWithin } from "@mcpforge/core";

/**
 * Resolves an untrusted relative path inside `root` (core's `resolveRealPathWithin`: no `..` in
 * any encoding, no absolute paths or NUL bytes, no symlink leading out) and returns the real
 * path. An unsafe path throws `McpForgeError("invalid_params")`; a root that cannot be resolved
 * is a server fault and throws a plain `Error`.
 *
 * @example
 * import { readFile } from "node:fs/promises";
 * import { resolveInRoot } from "@mcpforge/middleware/validation";
 * app.tool("read_file", { input: { path: z.string() } }, async ({ path }) =>
 *   readFile(await resolveInRoot("/srv/files", path), "utf8"),
 * );
 */
export async function resolveInRoot(root: string, userPath: string): Promise<string> {
  try {
    return await resolveRealPathWithin(root, userPath);
  } catch (err) {
    // Core reports unsafe input as a plain Error whose message starts with "Unsafe path".
    if (err instanceof Error && err.message.startsWith("Unsafe path")) {
      throw new McpForgeError("invalid_params", err.message);
    }
    throw err;
  }
}
