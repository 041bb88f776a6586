import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { config } from "@mcpforge/docs-check/config";
import { codeBlocks } from "@mcpforge/docs-check/markdown";
import type { Snippet } from "@mcpforge/docs-check/snippet";
import { expand } from "@mcpforge/docs-check/workspace";

/** The docs whose code blocks the smoke test checks against the tarballs. */
export const CONSUMER_DOCS = ["README.md", "packages/*/README.md", "docs/first-server.md"];

const TYPESCRIPT = new Set(["ts", "typescript", "mts", "tsx"]);

/** The TypeScript blocks of one doc, sorted by kind. */
export interface DocBlocks {
  /** The doc, relative to the repository root. */
  doc: string;
  /** The package folder its blocks are written for (relative), e.g. `packages/core`. */
  context: string;
  /** Files of the context's `examples/` that the doc shows (`// examples/x.ts` blocks). */
  files: string[];
  /** Blocks that are not files: type-checked as modules of their own. */
  snippets: Snippet[];
  /** `// from src/x.ts` excerpts of the package's own sources: not user code, not checked here. */
  excerpts: number;
}

/**
 * The TypeScript code blocks of the user-facing docs: which `examples/` files they show, which
 * free-standing snippets they hold. Docs of private packages are left out.
 *
 * @example
 * for (const doc of docBlocks("/repo")) console.log(doc.doc, doc.files, doc.snippets.length);
 */
export function docBlocks(root: string, published: ReadonlySet<string>): DocBlocks[] {
  return expand(root, CONSUMER_DOCS)
    .filter((file) => {
      const rel = relative(root, file);
      return !rel.startsWith("packages/") || published.has(dirname(rel));
    })
    .map((file) => {
      const doc = relative(root, file);
      const context = config.readmeContexts[doc] ?? dirname(doc);
      const out: DocBlocks = { doc, context, files: [], snippets: [], excerpts: 0 };
      codeBlocks(readFileSync(file, "utf8")).forEach((block, index) => {
        if (!TYPESCRIPT.has(block.lang)) return;
        const header = /^\/\/ (from )?(\S+\.(?:m?ts|tsx))(?:\s|$)/.exec(
          block.code.split("\n")[0] ?? "",
        );
        if (header?.[1]) {
          out.excerpts++;
        } else if (header?.[2]?.startsWith("examples/")) {
          out.files.push(header[2]);
        } else {
          out.snippets.push({
            file,
            line: block.line,
            columnOffsets: block.code.split("\n").map(() => 0),
            code: block.code,
            label: `${doc} block ${index + 1}`,
          });
        }
      });
      return out;
    });
}

/** Where a context package's examples are copied in the consumer project. */
export function contextFolder(consumer: string, context: string): string {
  return join(consumer, context.replace(/\//g, "-"));
}
