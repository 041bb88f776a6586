import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);

/** The cli's entry, run from source. */
export const BIN = fileURLToPath(new URL("../../src/bin.ts", import.meta.url));
/** apps/demo-basic's server file. */
export const DEMO = fileURLToPath(
  new URL("../../../../apps/demo-basic/src/server.ts", import.meta.url),
);
/** A fixture server file. */
export const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/**
 * How the tests start node for the cli: workspace packages from source (the `@mcpforge/source`
 * condition) and TypeScript through tsx, given as an absolute URL so any cwd works.
 */
export const NODE_FLAGS = [
  "--conditions=@mcpforge/source",
  `--import=${pathToFileURL(require.resolve("tsx")).href}`,
];

/** The command that starts the cli with `args`. */
export const cliCommand = (...args: string[]) => ({
  command: process.execPath,
  args: [...NODE_FLAGS, BIN, ...args],
});

/** The result of a finished cli run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Starts the cli with pipes, collecting its stdout and stderr text. */
function spawnCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
  onStderr = () => {},
) {
  const { command, args: argv } = cliCommand(...args);
  const child = spawn(command, argv, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const text = { stdout: "", stderr: "" };
  child.stdout.on("data", (d: Buffer) => {
    text.stdout += d.toString("utf8");
  });
  child.stderr.on("data", (d: Buffer) => {
    text.stderr += d.toString("utf8");
    onStderr();
  });
  return { child, text };
}

/** Runs the cli as a child process to the end. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const { child, text } = spawnCli(args, options);
  child.stdin.end(options.input ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: text.stdout, stderr: text.stderr });
    });
  });
}

/** A cli child process left running, with its stderr so far. */
export interface RunningCli {
  child: ChildProcess;
  stderr(): string;
  /** Waits until stderr matches, returning the match. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts the cli and leaves it running (stdin and stdout are pipes). */
export function startCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): RunningCli {
  const waiters = new Set<() => void>();
  const { child, text } = spawnCli(args, options, () => {
    for (const w of waiters) w();
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return {
    child,
    stderr: () => text.stderr,
    waitForStderr(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = text.stderr.match(pattern);
          if (!m) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`stderr never matched ${pattern}:\n${text.stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Starts `mcpforge run <file> --transport http --port 0` and waits for its URL. */
export async function startHttp(file: string): Promise<{ server: RunningCli; url: string }> {
  const server = startCli(["run", file, "--transport", "http", "--port", "0"]);
  const [, url] = await server.waitForStderr(/listening on (http:\/\/\S+)/);
  return { server, url: url as string };
}
