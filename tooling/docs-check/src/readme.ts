import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type CodeBlock, codeBlocks } from "./markdown.js";
import type { Problem, Snippet } from "./snippet.js";
import { configFiles } from "./workspace.js";

const TYPESCRIPT = new Set(["ts", "typescript", "mts", "tsx"]);

/** What a README's code blocks need: snippets to type-check, and problems found without a compiler. */
export interface ReadmeCheck {
  snippets: Snippet[];
  problems: Problem[];
  /** How many blocks were checked (TypeScript and JSON). */
  blocks: number;
}

/**
 * Checks a README's code blocks. A TypeScript block whose first line is `// <file>` (a file
 * beside the README — or in `base`, the folder the README is checked from — e.g.
 * `// examples/server.ts`) must show that file verbatim (after that
 * line, or from it when the file's own first line names it too), and the file
 * must be type-checked by the README folder's tsconfig.json; `// from <file>` marks an excerpt,
 * which must appear in the file (indentation aside). Any other TypeScript block is returned as
 * a snippet to type-check. JSON blocks must parse (whole, or one value per line). Other blocks
 * (`sh`, text) are not checked.
 *
 * @example
 * const { snippets, problems } = readmeSnippets("/repo/packages/cache/README.md");
 */
export function readmeSnippets(readme: string, base: string = dirname(readme)): ReadmeCheck {
  const out: ReadmeCheck = { snippets: [], problems: [], blocks: 0 };
  const dir = base;
  codeBlocks(readFileSync(readme, "utf8")).forEach((block, index) => {
    const at = (line: number, message: string): Problem => ({
      file: readme,
      line,
      column: 1,
      message: `README block ${index + 1}: ${message}`,
      source: `${readme}:${block.line}`,
    });
    if (block.lang === "json") {
      out.blocks++;
      const bad = jsonProblem(block);
      if (bad) out.problems.push(at(bad.line, bad.message));
      return;
    }
    if (!TYPESCRIPT.has(block.lang)) return;
    out.blocks++;
    const header = /^\/\/ (from )?(\S+\.(?:m?ts|tsx))(?:\s|$)/.exec(
      block.code.split("\n")[0] ?? "",
    );
    const file = header?.[2] ? resolve(dir, header[2]) : undefined;
    if (header && file && (existsSync(file) || header[2]?.startsWith("examples/"))) {
      const problem = header[1]
        ? excerptProblem(block, file)
        : (fileProblem(block, file) ?? coverageProblem(block, file, dir));
      if (problem) out.problems.push(at(problem.line, problem.message));
      return;
    }
    out.snippets.push({
      file: readme,
      line: block.line,
      columnOffsets: block.code.split("\n").map(() => 0),
      code: block.code,
      label: `README block ${index + 1}`,
    });
  });
  return out;
}

interface Located {
  line: number;
  message: string;
}

/** A `// <file>` block must be the file, verbatim. */
function fileProblem(block: CodeBlock, file: string): Located | undefined {
  const name = block.code.split("\n")[0]?.slice(3).split(/\s/)[0];
  if (!existsSync(file)) return { line: block.line, message: `${name} does not exist` };
  const actual = readFileSync(file, "utf8").replace(/\n$/, "").split("\n");
  // The header line is the README's, unless the file starts with it (names itself) too.
  const withHeader = actual[0]?.startsWith(`// ${name}`) === true;
  const shown = block.code.split("\n").slice(withHeader ? 0 : 1);
  const length = Math.max(shown.length, actual.length);
  for (let i = 0; i < length; i++) {
    if (shown[i] !== actual[i]) {
      return {
        line: block.line + (withHeader ? 0 : 1) + Math.min(i, shown.length),
        message: `differs from ${name} at its line ${i + 1}: the README shows ${JSON.stringify(shown[i] ?? "(end of block)")}, the file has ${JSON.stringify(actual[i] ?? "(end of file)")}`,
      };
    }
  }
  return undefined;
}

/** A file shown in a README must be type-checked by the package's tsconfig.json. */
function coverageProblem(block: CodeBlock, file: string, dir: string): Located | undefined {
  const files = configFiles(dir, "tsconfig.json");
  if (files === undefined || files.includes(file)) return undefined;
  return {
    line: block.line,
    message: `${file.slice(dir.length + 1)} is not type-checked: add it to the "include" of ${join(dir, "tsconfig.json").slice(dir.length + 1)}`,
  };
}

/** A `// from <file>` block must appear in the file, whatever its indentation there. */
function excerptProblem(block: CodeBlock, file: string): Located | undefined {
  const shown = block.code
    .split("\n")
    .slice(1)
    .map((line) => line.trim());
  const actual = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim());
  for (let start = 0; start + shown.length <= actual.length; start++) {
    if (shown.every((line, i) => actual[start + i] === line)) return undefined;
  }
  return {
    line: block.line,
    message: `is not an excerpt of ${block.code.split("\n")[0]?.slice("// from ".length)} (its lines do not appear there in this order)`,
  };
}

/** A JSON block is one JSON value, or one per line (newline-delimited messages). */
function jsonProblem(block: CodeBlock): Located | undefined {
  try {
    JSON.parse(block.code);
    return undefined;
  } catch {
    const lines = block.code.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]?.trim() ?? "";
      if (line === "") continue;
      try {
        JSON.parse(line);
      } catch (error) {
        return { line: block.line + i, message: `invalid JSON: ${(error as Error).message}` };
      }
    }
    return undefined;
  }
}
