import { McpForgeError } from "../errors/errors.js";

/** One page of a list and the cursor of the next one. */
export interface Page<T> {
  items: readonly T[];
  nextCursor?: string;
}

function encode(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

function decode(cursor: unknown): number {
  if (typeof cursor !== "string" || cursor.length === 0 || cursor.length > 64) throw invalid();
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { o?: unknown };
    if (typeof value.o === "number" && Number.isSafeInteger(value.o) && value.o > 0) return value.o;
  } catch {
    // fall through
  }
  throw invalid();
}

function invalid(): McpForgeError {
  return new McpForgeError("invalid_params", "Invalid cursor");
}

/**
 * Cuts one page out of a list with an opaque cursor; an invalid cursor is -32602.
 *
 * @example
 * const names = Array.from({ length: 250 }, (_, i) => `tool_${i}`);
 * const first = paginate(names, undefined, 100); // items: tool_0 … tool_99, nextCursor: an opaque string
 * const second = paginate(names, first.nextCursor, 100); // items: tool_100 … tool_199
 * paginate(names, "not-a-cursor", 100); // throws McpForgeError invalid_params (-32602)
 */
export function paginate<T>(all: readonly T[], cursor: unknown, pageSize: number): Page<T> {
  const start = cursor === undefined ? 0 : decode(cursor);
  if (start > all.length) throw invalid();
  if (start === 0 && all.length <= pageSize) return { items: all };
  const end = start + pageSize;
  const page: Page<T> = { items: all.slice(start, end) };
  if (end < all.length) page.nextCursor = encode(end);
  return page;
}
