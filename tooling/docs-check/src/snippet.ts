/**
 * A piece of TypeScript taken from a doc (a JSDoc `@example` or a README code block), with
 * where each of its lines came from so that problems point at the doc, not at generated code.
 */
export interface Snippet {
  /** Absolute path of the file the snippet was written in. */
  file: string;
  /** 1-based line of `code`'s first line in `file`. */
  line: number;
  /** Per line of `code`: how many characters of the original line precede it (` * `). */
  columnOffsets: number[];
  /** The code, one entry of `columnOffsets` per line. */
  code: string;
  /** What the snippet documents, for messages: `timing()`, `README block 3`. */
  label: string;
}

/** A problem found in a doc, located in the doc's own file. */
export interface Problem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
  /** The doc the problem is in (`path:line` of the example or block), when it is one. */
  source?: string;
}

/**
 * Formats a problem like the TypeScript compiler does: `path:line:column - message`.
 *
 * @example
 * formatProblem({ file: "/repo/src/a.ts", line: 3, column: 5, message: "oops" }, "/repo");
 * // "src/a.ts:3:5 - oops"
 */
export function formatProblem(problem: Problem, root: string): string {
  const path = problem.file.startsWith(`${root}/`)
    ? problem.file.slice(root.length + 1)
    : problem.file;
  return `${path}:${problem.line}:${problem.column} - ${problem.message}`;
}
