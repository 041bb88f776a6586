// Starting src/main.ts (and the scripts) as real child processes.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const TSX_CLI = require.resolve("tsx/cli");

/** A path inside the app folder. */
export const appPath = (relative: string) =>
  fileURLToPath(new URL(`../${relative}`, import.meta.url));

/** A clean environment: only what Node needs, plus `env` (no settings leak from the test run). */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = { ENV_FILE: "" };
  for (const name of ["PATH", "HOME", "TMPDIR", "SYSTEMROOT"]) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...env };
}

/** Runs a TypeScript entry of the app with tsx, capturing stdout and stderr. */
export function runTs(entry: string, args: string[], env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [TSX_CLI, "--conditions=@mcpforge/source", appPath(entry), ...args],
    { env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] },
  );
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (c: Buffer) => {
    output.stdout += c.toString("utf8");
  });
  child.stderr?.on("data", (c: Buffer) => {
    output.stderr += c.toString("utf8");
  });
  const exited = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { child, output, exited };
}

/** Resolves with the first match of `pattern` in the child's output stream, or rejects on exit. */
export async function waitForOutput(
  child: ChildProcess,
  output: { stdout: string; stderr: string },
  stream: "stdout" | "stderr",
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output[stream]);
    if (match) return match;
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no ${pattern} in ${stream}; stderr:\n${output.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
