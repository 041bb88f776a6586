import { spawn } from "node:child_process";

/** What a finished command printed. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command after this long (default 5 minutes). */
  timeoutMs?: number;
  /** Resolve with a non-zero exit code instead of throwing. */
  allowFailure?: boolean;
  /** Text written to the command's stdin (then closed). */
  input?: string;
}

/**
 * Runs a command without a shell and collects its output. Throws, with the command line and
 * its output, when it exits non-zero (unless `allowFailure`) or outlives `timeoutMs`.
 *
 * @example
 * const { stdout } = await run("npm", ["--version"], { cwd: process.cwd() });
 */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    if (child.stdin) {
      // A command that exits without reading its input must not fail the run (EPIPE).
      child.stdin.on("error", () => {});
      child.stdin.end(options.input);
    }
    const line = `${command} ${args.join(" ")} (in ${options.cwd})`;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `timed out after ${options.timeoutMs ?? 300_000} ms: ${line}\n${stdout}${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 300_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${line}: ${error.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const result = { code: code ?? 1, stdout, stderr };
      if (result.code !== 0 && !options.allowFailure) {
        reject(new Error(`exit code ${result.code}: ${line}\n${stdout}${stderr}`));
      } else {
        resolve(result);
      }
    });
  });
}

/**
 * Runs `tasks` with at most `limit` in flight, in order; resolves with their results.
 *
 * @example
 * const sizes = await inParallel(files, 2, async (file) => (await stat(file)).size);
 */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Times a step and prints `name: 12.3 s` on stderr when it ends.
 *
 * @example
 * const tarballs = await step("pack", () => packAll(root, packages, dir));
 */
export async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  console.error(`▶ ${name}`);
  try {
    return await body();
  } finally {
    console.error(`  ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/**
 * Deletes a temporary folder in a detached `rm -rf` (a copy of the repository with its
 * node_modules takes a while), so the script can exit at once.
 *
 * @example
 * removeLater("/tmp/mcpforge-release-abc123");
 */
export function removeLater(dir: string): void {
  spawn("rm", ["-rf", dir], { detached: true, stdio: "ignore" }).unref();
}
