/** Elements whose content is not text and is removed together with the tags. */
const RAW_BLOCKS =
  /<(script|style|template|noscript|iframe|object|embed|svg|math|textarea|title)\b[\s\S]*?(?:<\/\1\s*>|$)/gi;
const COMMENTS = /<!--[\s\S]*?(?:-->|$)/g;
const TAGS = /<\/?[A-Za-z!?][^>]*(?:>|$)/g;
const MAX_ROUNDS = 10;

/**
 * Removes HTML from a string: comments, tags, and the content of `script`, `style` and similar
 * elements, repeatedly until nothing tag-like is left. Entities are left as they are. The result
 * is plain text; to put it back into HTML, escape it with {@link escapeHtml}.
 *
 * @example
 * stripHtml('<p>Hello <b>world</b><script>alert(1)</script></p>'); // "Hello world"
 */
export function stripHtml(input: string): string {
  let text = String(input);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = text.replace(COMMENTS, "").replace(RAW_BLOCKS, "").replace(TAGS, "");
    if (next === text) return next;
    text = next;
  }
  // Still changing after many rounds: crafted input; drop every remaining angle bracket.
  return text.replace(/[<>]/g, "");
}

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes `& < > " '` so a string can be placed in HTML text or a quoted attribute.
 *
 * @example
 * escapeHtml('<a href="x">Tom & Jerry</a>'); // "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/a&gt;"
 */
export function escapeHtml(input: string): string {
  return String(input).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
