import { cpSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { run } from "./exec.js";

/**
 * Copies the repository as it is on disk (tracked and untracked-but-not-ignored files, without
 * node_modules) into `dest`, plus each package's `dist/` so that `pnpm build` there is
 * incremental. Timestamps are kept, so `tsc -b` sees the sources as already built.
 *
 * @example
 * await copyRepository("/repo", "/tmp/release/repo");
 */
export async function copyRepository(root: string, dest: string): Promise<number> {
  const { stdout } = await run(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: root },
  );
  const files = [...new Set(stdout.split("\0").filter((file) => file !== ""))];
  let copied = 0;
  for (const file of files) {
    const from = join(root, file);
    if (!existsSync(from) || statSync(from).isDirectory()) continue;
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(from, join(dest, file), { preserveTimestamps: true });
    copied++;
  }
  for (const file of files.filter((f) => /^packages\/[^/]+\/package\.json$/.test(f))) {
    const dist = join(root, dirname(file), "dist");
    if (existsSync(dist)) {
      cpSync(dist, join(dest, dirname(file), "dist"), {
        recursive: true,
        preserveTimestamps: true,
      });
    }
  }
  return copied;
}
