import type { ParserPlugin } from "@babel/parser";

/** Parses JavaScript or TypeScript source (by file extension) into a Babel AST. */
export async function parseSource(code: string, file: string): Promise<unknown> {
  const { parse } = await import("@babel/parser");
  const plugins: ParserPlugin[] = /\.[cm]?tsx?$/.test(file)
    ? file.endsWith("x")
      ? ["typescript", "jsx"]
      : ["typescript"]
    : ["jsx"];
  return parse(code, {
    sourceType: "unambiguous",
    sourceFilename: file,
    plugins,
    errorRecovery: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
  });
}
