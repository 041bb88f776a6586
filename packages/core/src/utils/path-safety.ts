import { promises as fs } from "node:fs";
import * as path from "node:path";

/** How many rounds of percent-decoding are inspected before a path is rejected as too deep. */
const MAX_DECODE_ROUNDS = 5;
const MAX_ECHO = 100;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Quotes at most the first 100 characters of untrusted input for an error message. */
function excerpt(input: string): string {
  const head = JSON.stringify(input.slice(0, MAX_ECHO));
  return input.length > MAX_ECHO ? `${head}…` : head;
}

function unsafe(input: string, reason: string): Error {
  return new Error(`Unsafe path ${excerpt(input)}: ${reason}`);
}

/** Decodes every percent-encoded run once; throws when a run is not valid UTF-8 (e.g. overlong). */
function decodeOnce(input: string, original: string): string {
  return input.replace(PERCENT_RUN, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = Number.parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    }
    try {
      return strictUtf8.decode(bytes);
    } catch {
      throw unsafe(original, "invalid or overlong UTF-8 percent-encoding");
    }
  });
}

/** Throws when one decoding stage of the input holds a NUL, an absolute path or a `..` segment. */
function checkStage(stage: string, original: string): void {
  if (stage.includes("\0")) {
    throw unsafe(original, "contains a NUL byte");
  }
  if (stage.startsWith("/") || stage.startsWith("\\")) {
    throw unsafe(original, "absolute paths are not allowed");
  }
  if (/^[A-Za-z]:/.test(stage)) {
    throw unsafe(original, "drive-letter paths are not allowed");
  }
  if (/^file:/i.test(stage) || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(stage)) {
    throw unsafe(original, "URLs are not allowed");
  }
  for (const segment of stage.split(/[/\\]/)) {
    // "..", and forms Windows trims to it such as "... " or ".. .".
    if (segment.includes("..") && /^[. ]+$/.test(segment)) {
      throw unsafe(original, 'parent directory segments ("..") are not allowed');
    }
  }
}

/**
 * Validates an untrusted relative path and returns it normalized as a relative POSIX path.
 *
 * Every stage of repeated percent-decoding (and its NFKC form) is checked for NUL bytes,
 * absolute paths and `..` segments. The returned path is the undecoded input, normalized.
 *
 * @example
 * assertSafeRelativePath("a/./b//c"); // "a/b/c"
 * assertSafeRelativePath("a/%2e%2e/b"); // throws Error
 */
export function assertSafeRelativePath(input: string): string {
  if (typeof input !== "string") {
    throw new Error("Unsafe path: expected a string");
  }
  if (input === "") {
    throw new Error("Unsafe path: the path is empty");
  }
  let stages = new Set([input]);
  for (let round = 0; ; round++) {
    const next = new Set<string>();
    for (const stage of stages) {
      const normalized = stage.normalize("NFKC");
      checkStage(stage, input);
      checkStage(normalized, input);
      for (const candidate of [stage, normalized]) {
        const decoded = decodeOnce(candidate, input);
        if (decoded !== candidate) next.add(decoded);
      }
    }
    if (next.size === 0) break;
    if (round >= MAX_DECODE_ROUNDS) {
      throw unsafe(input, `percent-encoded more than ${MAX_DECODE_ROUNDS} times`);
    }
    stages = next;
  }
  const segments = input.split(/[/\\]/).filter((segment) => segment !== "" && segment !== ".");
  return segments.length === 0 ? "." : segments.join("/");
}

function components(absolute: string): string[] {
  return absolute.split(path.sep).filter((part) => part !== "");
}

/** True when `target` equals `root` or lies under it, compared component by component. */
function isWithin(root: string, target: string): boolean {
  const rootParts = components(root);
  const targetParts = components(target);
  return (
    targetParts.length >= rootParts.length &&
    rootParts.every((part, index) => targetParts[index] === part)
  );
}

function checkRoot(root: string): string {
  if (typeof root !== "string" || root === "") {
    throw new Error("Root directory must be a non-empty string");
  }
  return path.resolve(root);
}

/**
 * Resolves an untrusted relative path against `root`, throwing unless it stays inside it.
 *
 * @example
 * resolveWithin("/srv/files", "docs/readme.md"); // "/srv/files/docs/readme.md"
 * resolveWithin("/srv/files", "../etc/passwd"); // throws Error
 */
export function resolveWithin(root: string, input: string): string {
  const absoluteRoot = checkRoot(root);
  const relative = assertSafeRelativePath(input);
  const target = path.resolve(absoluteRoot, relative);
  if (!isWithin(absoluteRoot, target)) {
    throw unsafe(input, "resolves outside the root directory");
  }
  return target;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

/**
 * Like {@link resolveWithin}, but follows symlinks and throws if the real path leaves the real root.
 *
 * The target need not exist: its nearest existing ancestor is resolved instead. Returns the
 * real (symlink-free) path.
 *
 * @example
 * await resolveRealPathWithin("/srv/files", "uploads/new.txt"); // "/srv/files/uploads/new.txt"
 */
export async function resolveRealPathWithin(root: string, input: string): Promise<string> {
  const lexical = resolveWithin(root, input);
  let realRoot: string;
  try {
    realRoot = await fs.realpath(checkRoot(root));
  } catch (error) {
    throw new Error(`Root directory cannot be resolved (${errorCode(error) ?? "unknown error"})`);
  }
  const missing: string[] = [];
  let current = lexical;
  let real: string;
  for (;;) {
    try {
      real = await fs.realpath(current);
      break;
    } catch (error) {
      const code = errorCode(error);
      if (code !== "ENOENT" && code !== "ENOTDIR") {
        throw unsafe(input, `cannot be resolved (${code ?? "unknown error"})`);
      }
    }
    // A dangling symlink would be created through, so its target cannot be checked: reject it.
    const isDanglingLink = await fs.lstat(current).then(
      (stats) => stats.isSymbolicLink(),
      () => false,
    );
    if (isDanglingLink) {
      throw unsafe(input, "passes through a dangling symbolic link");
    }
    const parent = path.dirname(current);
    if (parent === current) {
      throw unsafe(input, "has no existing ancestor");
    }
    missing.unshift(path.basename(current));
    current = parent;
  }
  const target = path.join(real, ...missing);
  if (!isWithin(realRoot, target)) {
    throw unsafe(input, "resolves outside the root directory through a symbolic link");
  }
  return target;
}
