import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertSafeRelativePath, resolveRealPathWithin, resolveWithin } from "./path-safety.js";

describe("assertSafeRelativePath", () => {
  it.each([
    ["a/./b//c", "a/b/c"],
    ["a/b/", "a/b"],
    ["./a", "a"],
    [".", "."],
    ["a\\b\\c.txt", "a/b/c.txt"],
    ["readme.md", "readme.md"],
    ["a..b/c..", "a..b/c.."],
    ["...hidden/.env", "...hidden/.env"],
    ["50%25/a%20b", "50%25/a%20b"],
    ["100%/x", "100%/x"],
    ["café/naïve.txt", "café/naïve.txt"],
  ])("accepts %j as %j", (input, expected) => {
    expect(assertSafeRelativePath(input)).toBe(expected);
  });

  it.each([
    "a\0b",
    "a%00b",
    "a%2500b",
    "a%252500b",
    "%c0%80",
  ])("rejects NUL bytes in %j", (input) => {
    expect(() => assertSafeRelativePath(input)).toThrow(/NUL byte|invalid or overlong/);
  });

  it.each([
    "..",
    "../etc/passwd",
    "a/../../b",
    "a/..",
    "a\\..\\b",
    "..\\windows",
    "%2e%2e/x",
    "%2E%2e/x",
    "%2e%2E%2fx",
    "a%2f%2e%2e%2fb",
    "a%5c..%5cb",
    ".%2e/x",
    "%2e./x",
    "%252e%252e/x",
    "%25252e%25252e%25252f",
    "％２ｅ％２ｅ/x",
    "．．/x",
    "a/．．/b",
    "．．／x",
    "‥/x",
    ".. /x",
    "... /x",
  ])("rejects the traversal %j", (input) => {
    expect(() => assertSafeRelativePath(input)).toThrow(/parent directory/);
  });

  it.each([
    "%c0%ae%c0%ae/x",
    "%c0%2e%c0%2e/x",
    "%e0%80%ae./x",
    "a%c0%afb",
    "%ff",
  ])("rejects invalid or overlong UTF-8 in %j", (input) => {
    expect(() => assertSafeRelativePath(input)).toThrow(/invalid or overlong UTF-8/);
  });

  it.each([
    ["/etc/passwd", /absolute/],
    ["\\windows", /absolute/],
    ["\\\\server\\share\\x", /absolute/],
    ["//server/share", /absolute/],
    ["%2fetc%2fpasswd", /absolute/],
    ["%5cx", /absolute/],
    ["C:\\Windows", /drive-letter/],
    ["C:/Windows", /drive-letter/],
    ["c:x", /drive-letter/],
    ["file:///etc/passwd", /URLs/],
    ["FILE:etc/passwd", /URLs/],
    ["https://example.com/x", /URLs/],
    ["／etc", /absolute/],
  ])("rejects the absolute path %j", (input, message) => {
    expect(() => assertSafeRelativePath(input)).toThrow(message);
  });

  it("rejects empty input and non-strings", () => {
    expect(() => assertSafeRelativePath("")).toThrow(/empty/);
    expect(() => assertSafeRelativePath(42 as unknown as string)).toThrow(/expected a string/);
  });

  it("rejects paths encoded more than five times", () => {
    let deep = "a%2fb";
    for (let i = 0; i < 5; i++) deep = deep.replace(/%/g, "%25");
    expect(() => assertSafeRelativePath(deep)).toThrow(/more than 5 times/);
  });

  it("echoes at most 100 characters of the input", () => {
    const input = `${"x".repeat(500)}/../y`;
    let message = "";
    try {
      assertSafeRelativePath(input);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/parent directory/);
    expect(message).toContain("x".repeat(100));
    expect(message).not.toContain("x".repeat(101));
  });
});

describe("resolveWithin", () => {
  const root = path.resolve("/sandbox");

  it("resolves inside the root", () => {
    expect(resolveWithin(root, "a/./b//c.txt")).toBe(path.join(root, "a", "b", "c.txt"));
    expect(resolveWithin(root, ".")).toBe(root);
    expect(resolveWithin(`${root}/`, "x")).toBe(path.join(root, "x"));
  });

  it("rejects traversal and absolute inputs", () => {
    expect(() => resolveWithin(root, "../sandbox-evil/x")).toThrow(/parent directory/);
    expect(() => resolveWithin(root, "/sandbox-evil")).toThrow(/absolute/);
    expect(() => resolveWithin(root, "%2e%2e/sandbox-evil")).toThrow(/parent directory/);
  });

  it("rejects an empty root", () => {
    expect(() => resolveWithin("", "x")).toThrow(/Root directory/);
  });

  it("only returns paths inside the root (property)", () => {
    const piece = fc.constantFrom(
      "a",
      "b.txt",
      ".",
      "..",
      "...",
      "/",
      "\\",
      "%2e",
      "%2E",
      "%2f",
      "%5c",
      "%25",
      "%00",
      "%c0%ae",
      "．",
      "／",
      "C:",
      "file:",
      "\0",
      " ",
    );
    const input = fc.oneof(
      fc.array(piece, { maxLength: 12 }).map((parts) => parts.join("")),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 20 }),
    );
    fc.assert(
      fc.property(input, (candidate) => {
        let resolved: string;
        try {
          resolved = resolveWithin(root, candidate);
        } catch {
          return true;
        }
        const relative = path.relative(root, resolved);
        return (
          !path.isAbsolute(relative) &&
          relative.split(path.sep)[0] !== ".." &&
          (resolved === root || resolved.startsWith(`${root}${path.sep}`))
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe("resolveRealPathWithin", () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "path-safety-")));
    root = path.join(base, "sandbox");
    outside = path.join(base, "sandbox-evil");
    await fs.mkdir(path.join(root, "docs"), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(root, "docs", "readme.md"), "hi");
    await fs.writeFile(path.join(outside, "secret.txt"), "nope");
    await fs.symlink(outside, path.join(root, "escape"));
    await fs.symlink(path.join(outside, "secret.txt"), path.join(root, "secret-link.txt"));
    await fs.symlink(path.join(root, "docs"), path.join(root, "docs-link"));
    await fs.symlink(path.join(outside, "missing.txt"), path.join(root, "dangling.txt"));
  });

  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it("resolves existing files", async () => {
    await expect(resolveRealPathWithin(root, "docs/readme.md")).resolves.toBe(
      path.join(root, "docs", "readme.md"),
    );
  });

  it("resolves paths that do not exist yet through their nearest existing parent", async () => {
    await expect(resolveRealPathWithin(root, "docs/new/deeper/file.txt")).resolves.toBe(
      path.join(root, "docs", "new", "deeper", "file.txt"),
    );
  });

  it("follows symlinks that stay inside the root", async () => {
    await expect(resolveRealPathWithin(root, "docs-link/readme.md")).resolves.toBe(
      path.join(root, "docs", "readme.md"),
    );
    await expect(resolveRealPathWithin(root, "docs-link/new.txt")).resolves.toBe(
      path.join(root, "docs", "new.txt"),
    );
  });

  it("rejects symlinks pointing outside the root", async () => {
    await expect(resolveRealPathWithin(root, "escape/secret.txt")).rejects.toThrow(
      /outside the root directory through a symbolic link/,
    );
    await expect(resolveRealPathWithin(root, "escape")).rejects.toThrow(/symbolic link/);
    await expect(resolveRealPathWithin(root, "escape/not-there.txt")).rejects.toThrow(
      /symbolic link/,
    );
    await expect(resolveRealPathWithin(root, "secret-link.txt")).rejects.toThrow(/symbolic link/);
  });

  it("rejects dangling symlinks", async () => {
    await expect(resolveRealPathWithin(root, "dangling.txt")).rejects.toThrow(/dangling/);
  });

  it("resolves against the real root when the root itself is a symlink", async () => {
    const linkedRoot = path.join(base, "root-link");
    await fs.symlink(root, linkedRoot);
    await expect(resolveRealPathWithin(linkedRoot, "docs/readme.md")).resolves.toBe(
      path.join(root, "docs", "readme.md"),
    );
  });

  it("still applies the lexical checks", async () => {
    await expect(resolveRealPathWithin(root, "../sandbox-evil/secret.txt")).rejects.toThrow(
      /parent directory/,
    );
  });

  it("rejects a root that does not exist", async () => {
    await expect(resolveRealPathWithin(path.join(base, "nope"), "x")).rejects.toThrow(
      /Root directory cannot be resolved/,
    );
  });
});
