/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The info string's first word, lower-cased: `ts`, `sh`, `json`, or `""`. */
  lang: string;
  /** 1-based line of the block's first code line (the line after the opening fence). */
  line: number;
  /** The code, without the fences; ends without a newline. */
  code: string;
}

/**
 * The fenced code blocks (```` ``` ```` or `~~~`) of a Markdown document, in order.
 *
 * @example
 * codeBlocks("# Title\n\n```ts\nconst a = 1;\n```\n"); // [{ lang: "ts", line: 4, code: "const a = 1;" }]
 */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  let open: { fence: string; lang: string; start: number } | undefined;
  lines.forEach((text, index) => {
    if (open === undefined) {
      const start = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(text);
      if (start?.[1])
        open = { fence: start[1], lang: (start[2] ?? "").toLowerCase(), start: index };
      return;
    }
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text)?.[1];
    if (close !== undefined && close[0] === open.fence[0] && close.length >= open.fence.length) {
      blocks.push({
        lang: open.lang,
        line: open.start + 2,
        code: lines.slice(open.start + 1, index).join("\n"),
      });
      open = undefined;
    }
  });
  return blocks;
}
