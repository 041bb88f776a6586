import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { run } from "./exec.js";
import type { PublishedPackage } from "./packages.js";

/** A packed package: its tarball and where it was unpacked. */
export interface Packed {
  pkg: PublishedPackage;
  tarball: string;
  /** The unpacked `package/` folder. */
  dir: string;
}

/**
 * Packs every package with `pnpm pack` (so the workspace's `.pnpmfile.cjs` hook runs, as on
 * publish) into `dest`, and unpacks each tarball beside it.
 *
 * @example
 * const packed = await packAll(root, publishedPackages(root), "/tmp/smoke/tarballs");
 */
export async function packAll(
  root: string,
  packages: readonly PublishedPackage[],
  dest: string,
): Promise<Packed[]> {
  mkdirSync(dest, { recursive: true });
  const filters = packages.flatMap((pkg) => ["--filter", pkg.manifest.name]);
  await run("pnpm", ["-r", ...filters, "pack", "--pack-destination", dest], { cwd: root });
  const tarballs = readdirSync(dest).filter((file) => file.endsWith(".tgz"));
  const out: Packed[] = [];
  for (const pkg of packages) {
    const stem = `${pkg.manifest.name.replace(/^@/, "").replace("/", "-")}-${pkg.manifest.version}.tgz`;
    if (!tarballs.includes(stem)) throw new Error(`pnpm pack wrote no ${stem} in ${dest}`);
    const tarball = join(dest, stem);
    const dir = join(dest, stem.replace(/\.tgz$/, ""));
    mkdirSync(dir, { recursive: true });
    await run("tar", ["-xzf", tarball, "-C", dir], { cwd: dest });
    out.push({ pkg, tarball, dir: join(dir, "package") });
  }
  return out;
}
