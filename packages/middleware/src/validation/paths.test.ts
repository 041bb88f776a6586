import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { McpForgeError } from "@mcpforge/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveInRoot } from "./paths.js";

describe("resolveInRoot", () => {
  let base: string;
  let root: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "mcpforge-mw-"));
    root = join(base, "root");
    await mkdir(join(root, "docs"), { recursive: true });
    await writeFile(join(root, "docs", "a.txt"), "a");
    await writeFile(join(base, "secret.txt"), "s");
    await symlink(join(base, "secret.txt"), join(root, "escape"));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it("resolves paths inside the root, existing or not", async () => {
    expect(await resolveInRoot(root, "docs/a.txt")).toMatch(/root\/docs\/a\.txt$/);
    expect(await resolveInRoot(root, "docs/new.txt")).toMatch(/root\/docs\/new\.txt$/);
  });

  it("turns unsafe paths into invalid_params errors", async () => {
    for (const bad of [
      "../secret.txt",
      "docs/%2e%2e/%2e%2e/secret.txt",
      "/etc/passwd",
      "escape",
      "a\0b",
    ]) {
      const err = await resolveInRoot(root, bad).catch((e: unknown) => e);
      expect(err, bad).toBeInstanceOf(McpForgeError);
      expect((err as McpForgeError).kind).toBe("invalid_params");
      expect((err as McpForgeError).message).toMatch(/^Unsafe path/);
    }
  });

  it("keeps a missing root a server error", async () => {
    const err = await resolveInRoot(join(base, "missing"), "a.txt").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(McpForgeError);
  });
});
