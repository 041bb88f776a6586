import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError, EXIT } from "../internal/errors.js";
import { parseFileTarget } from "./target.js";

/** What the cli needs of an app (duck-typed: the app may come from another copy of core). */
export interface AppLike {
  name: string;
  version: string;
  connect(...args: unknown[]): Promise<unknown>;
  listen(...args: unknown[]): Promise<unknown>;
  run(options?: Record<string, unknown>): Promise<void>;
  tool(...args: unknown[]): unknown;
  close(): Promise<void>;
}

/** The export names tried, in order, when the target names none. */
export const DEFAULT_EXPORTS = ["default", "app", "server", "mcp"] as const;

/**
 * Whether a value is an MCP Forge app: an object with `connect`, `listen`, `run` and `tool`
 * functions (not `instanceof`, which fails across copies of core).
 *
 * @example
 * isApp(createServer({ name: "x", version: "1" })); // true
 */
export function isApp(value: unknown): value is AppLike {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return ["connect", "listen", "run", "tool"].every((k) => typeof v[k] === "function");
}

let registered = false;

/** Lets `import()` load TypeScript (through tsx), once per process. */
async function registerTypeScript(): Promise<void> {
  if (registered) return;
  registered = true;
  const { register } = await import("tsx/esm/api");
  register();
}

/** Tries one export: an app, or a factory function that returns (a promise of) one. */
async function fromExport(value: unknown, label: string): Promise<AppLike | undefined> {
  if (isApp(value)) return value;
  if (typeof value !== "function") return undefined;
  let made: unknown;
  try {
    made = await (value as () => unknown)();
  } catch (err) {
    throw new CliError(`${label}() threw: ${(err as Error)?.message ?? String(err)}`, EXIT.load);
  }
  if (isApp(made)) return made;
  throw new CliError(`${label}() did not return an MCP Forge app (createServer(...))`, EXIT.load);
}

/** The loaded app, with where it came from. */
export interface LoadedApp {
  app: AppLike;
  /** Absolute path of the server file. */
  file: string;
  exportName: string;
}

/**
 * Imports a server file (`.ts` through tsx, `.js`, `.mjs`) and finds its app: the named export,
 * else `default`, `app`, `server`, `mcp`; a factory function is called.
 *
 * @example
 * const { app } = await loadApp("src/server.ts:createServer");
 */
export async function loadApp(target: string, cwd = process.cwd()): Promise<LoadedApp> {
  const { file: relative, exportName } = parseFileTarget(target);
  const file = resolve(cwd, relative);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new CliError(`No such file: ${relative}`, EXIT.load);
  await registerTypeScript();
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    const e = err as Error;
    throw new CliError(`Cannot load ${relative}: ${e?.message ?? String(err)}`, EXIT.load);
  }
  const names = exportName ? [exportName] : DEFAULT_EXPORTS;
  for (const name of names) {
    if (!(name in mod)) continue;
    const app = await fromExport(mod[name], `${relative}:${name}`);
    if (app) return { app, file, exportName: name };
  }
  const seen = Object.keys(mod);
  const list = seen.length > 0 ? seen.join(", ") : "(none)";
  const hint = exportName
    ? exportName in mod
      ? `Export "${exportName}" is not an app or a function returning one.`
      : `There is no export "${exportName}".`
    : `Looked for ${DEFAULT_EXPORTS.join(", ")}.`;
  throw new CliError(
    `No MCP Forge app in ${relative}. ${hint} Exports seen: ${list}.\n` +
      `Export the app (export default app) or name it: mcpforge run ${relative}:<export>`,
    EXIT.load,
  );
}
