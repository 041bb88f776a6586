import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./exec.js";

/** A command installed as a devDependency of this package. */
function bin(name: string): string {
  return fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
}

/**
 * `publint --strict` on a tarball: any message (suggestions included) fails.
 *
 * @example
 * const problems = await publint("/tmp/smoke/mcpforge-core-0.1.0.tgz", "@mcpforge/core");
 */
export async function publint(tarball: string, name: string): Promise<string[]> {
  const { code, stdout, stderr } = await run(bin("publint"), ["run", tarball, "--strict"], {
    cwd: dirname(tarball),
    allowFailure: true,
  });
  const output = `${stdout}${stderr}`;
  const messages = output
    .split("\n")
    .filter((line) => /^\s*\d+\.|error|warning|suggestion/i.test(line));
  if (code === 0 && messages.length === 0) return [];
  return [`${name}: publint --strict:\n${output.trim()}`];
}

/**
 * `@arethetypeswrong/cli --profile esm-only` on a tarball: every resolution problem fails.
 *
 * @example
 * const problems = await attw("/tmp/smoke/mcpforge-core-0.1.0.tgz", "@mcpforge/core");
 */
export async function attw(tarball: string, name: string): Promise<string[]> {
  const { code, stdout, stderr } = await run(
    bin("attw"),
    [tarball, "--profile", "esm-only", "--format", "ascii"],
    { cwd: dirname(tarball), allowFailure: true, env: { ...process.env, NO_COLOR: "1" } },
  );
  if (code === 0) return [];
  return [`${name}: attw --profile esm-only:\n${`${stdout}${stderr}`.trim()}`];
}
