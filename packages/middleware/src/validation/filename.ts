import { McpForgeError } from "@mcpforge/core";

/** Options of {@link sanitizeFilename}. */
export interface SanitizeFilenameOptions {
  /** What replaces each unsafe character (default `"_"`; may be `""`). */
  replacement?: string;
  /** The most UTF-8 bytes of the result (default 255, the common file-system limit). */
  maxBytes?: number;
}

// Path separators, characters Windows forbids, C0/C1 controls, and bidirectional overrides
// (which can disguise an extension: "invoice\u202Efdp.exe").
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const UNSAFE = /[/\\:*?"<>|\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * Turns untrusted text into a single safe file name: no path separators, control or
 * bidirectional-override characters, or characters Windows forbids; no leading dots (so no `..`
 * or hidden files), no trailing dots or spaces, no Windows device names (`CON`, `LPT1.txt`), at
 * most `maxBytes` UTF-8 bytes (the extension is kept when it can be). An empty result is `"file"`.
 *
 * @example
 * sanitizeFilename("../../etc/passwd"); // "_.._etc_passwd"
 * sanitizeFilename("report:Q1?.pdf"); // "report_Q1_.pdf"
 */
export function sanitizeFilename(name: string, options: SanitizeFilenameOptions = {}): string {
  const replacement = options.replacement ?? "_";
  const maxBytes = options.maxBytes ?? 255;
  if (typeof replacement !== "string" || replacement.replace(UNSAFE, "") !== replacement) {
    throw new Error("@mcpforge/middleware: sanitizeFilename(): replacement must be a safe string");
  }
  if (!Number.isInteger(maxBytes) || maxBytes < 16) {
    throw new Error("@mcpforge/middleware: sanitizeFilename(): maxBytes must be an integer >= 16");
  }
  if (typeof name !== "string") {
    throw new McpForgeError("invalid_params", "A file name must be a string");
  }
  let out = name.normalize("NFC").replace(UNSAFE, replacement);
  out = out.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (RESERVED.test(out)) out = `_${out}`;
  out = truncateKeepingExtension(out, maxBytes);
  out = out.replace(/[.\s]+$/, "");
  return out === "" ? "file" : out;
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
  const budget = maxBytes - Buffer.byteLength(ext);
  let base = "";
  let bytes = 0;
  for (const ch of ext ? name.slice(0, dot) : name) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > budget) break;
    base += ch;
    bytes += size;
  }
  return base + ext;
}
