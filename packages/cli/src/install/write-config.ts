import { copyFile, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { applyEdits, modify, type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import { CliError, EXIT } from "../internal/errors.js";

/** What {@link mergeServer} did. */
export interface MergeResult {
  /** The previous file's copy, when there was one. */
  backup?: string;
  /** Whether an entry of that name was replaced. */
  replaced: boolean;
}

/**
 * Adds (or replaces) one server under `key` in a JSON/JSONC config file, keeping every other
 * key, server, comment and the formatting; the previous file is copied to `<file>.bak` first.
 *
 * @example
 * await mergeServer("~/.cursor/mcp.json", "mcpServers", "weather", { command: "node", args: [] });
 */
export async function mergeServer(
  file: string,
  key: string,
  name: string,
  entry: Record<string, unknown>,
): Promise<MergeResult> {
  const previous = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw new CliError(`Cannot read ${file}: ${err.message}`, EXIT.usage);
  });
  const text = previous?.trim() ? previous : "{}";
  const errors: ParseError[] = [];
  const root = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof root !== "object" || root === null || Array.isArray(root)) {
    const why = errors[0] ? printParseErrorCode(errors[0].error) : "not a JSON object";
    throw new CliError(
      `${file} is not valid JSON (${why}); fix it or move it away, then retry`,
      EXIT.usage,
    );
  }
  const existing = (root as Record<string, unknown>)[key];
  const replaced =
    typeof existing === "object" && existing !== null && Object.hasOwn(existing, name);
  const edits = modify(text, [key, name], entry, {
    formattingOptions: { insertSpaces: true, tabSize: 2, eol: "\n" },
  });
  const next = `${applyEdits(text, edits).trimEnd()}\n`;
  await mkdir(dirname(file), { recursive: true });
  const result: MergeResult = { replaced };
  if (previous !== undefined) {
    result.backup = `${file}.bak`;
    await copyFile(file, result.backup);
  }
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, next, { mode: 0o600 });
  await rename(temp, file);
  return result;
}
