import { isAbsolute, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import { resolve } from "import-meta-resolve";

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Resolves a plugin module named in a config, relative to the config's folder: a relative
 * or absolute path, or a package name (found in `node_modules` from that folder, through its
 * `exports`). URLs (`data:`, `http:`, `node:`, `file:` …) are refused: a config names modules
 * on disk, never code.
 *
 * @example
 * resolveModule("./plugins/db.js", "/srv/app"); // "file:///srv/app/plugins/db.js"
 */
export function resolveModule(specifier: string, baseDir: string): string {
  if (
    SCHEME.test(specifier) &&
    !(process.platform === "win32" && /^[A-Za-z]:[\\/]/.test(specifier))
  ) {
    throw new Error(
      `module ${JSON.stringify(specifier)} is a URL: name a package or a path relative to the config file`,
    );
  }
  if (specifier.startsWith("./") || specifier.startsWith("../") || isAbsolute(specifier)) {
    return pathToFileURL(resolvePath(baseDir, specifier)).href;
  }
  return resolve(specifier, pathToFileURL(`${resolvePath(baseDir)}/`).href);
}
