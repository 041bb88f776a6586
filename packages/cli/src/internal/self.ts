import { isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Node flags that must not be passed on to a child (a debugger port is taken once). */
const DROP = /^--(inspect|inspect-brk|inspect-port|debug-port)(=|$)/;

/** Makes `--import x` / `--loader x` specifiers absolute so they resolve from any directory. */
function absoluteLoader(spec: string): string {
  if (spec.startsWith("file:") || spec.startsWith("data:") || spec.startsWith("node:")) return spec;
  if (spec.startsWith(".") || isAbsolute(spec)) return pathToFileURL(resolve(spec)).href;
  try {
    return import.meta.resolve(spec);
  } catch {
    return spec;
  }
}

/** The node flags this process was started with, safe to pass to a child started anywhere. */
export function nodeFlags(): string[] {
  const flags: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (DROP.test(arg)) continue;
    const m = /^--(import|loader|experimental-loader)(?:=(.*))?$/.exec(arg);
    if (m) {
      const spec = m[2] ?? argv[++i];
      if (spec !== undefined) flags.push(`--${m[1]}=${absoluteLoader(spec)}`);
      continue;
    }
    flags.push(arg);
  }
  return flags;
}

/**
 * How to start this same cli again from any directory: this node binary, its flags, and the
 * absolute path of the cli's entry script (`bin.js`, or `bin.ts` when running from source).
 *
 * @example
 * const { command, args } = selfCommand("run", "/abs/server.ts");
 */
export function selfCommand(...cliArgs: string[]): { command: string; args: string[] } {
  const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
  const script = fileURLToPath(new URL(`../bin.${ext}`, import.meta.url));
  return { command: process.execPath, args: [...nodeFlags(), script, ...cliArgs] };
}
