import { watch } from "chokidar";

const IGNORED = /(^|[/\\])(node_modules|\.git|dist|coverage|\.turbo)([/\\]|$)/;
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|json)$/;

/**
 * Watches a folder for source changes (node_modules, .git and dist ignored) and calls
 * `onChange` once per burst of changes, `debounceMs` after the last one.
 *
 * @example
 * const close = await watchSources("src", 150, (files) => console.error(`changed: ${files.join(", ")}`));
 * process.once("SIGINT", () => void close());
 */
export async function watchSources(
  root: string,
  debounceMs: number,
  onChange: (files: string[]) => void,
): Promise<() => Promise<void>> {
  const watcher = watch(root, { ignored: (path) => IGNORED.test(path), ignoreInitial: true });
  let timer: NodeJS.Timeout | undefined;
  let changed = new Set<string>();
  watcher.on("all", (_event, path) => {
    if (!SOURCE.test(path)) return;
    changed.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changed];
      changed = new Set();
      onChange(files);
    }, debounceMs);
  });
  await new Promise<void>((ready, fail) => {
    watcher.once("ready", ready);
    watcher.once("error", fail);
  });
  return async () => {
    clearTimeout(timer);
    await watcher.close();
  };
}
