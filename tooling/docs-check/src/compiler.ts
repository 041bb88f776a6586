import { realpathSync } from "node:fs";
import ts from "typescript";
import type { ExampleModule, NameSource } from "./example-module.js";
import type { Problem, Snippet } from "./snippet.js";

/** A generated module to type-check, with the snippet it came from. */
export interface VirtualModule {
  /** Absolute path it pretends to have (`.mts`): relative imports and packages resolve from there. */
  path: string;
  module: ExampleModule;
  snippet: Snippet;
}

/**
 * One TypeScript compiler setup for a folder: resolves module specifiers, lists what modules
 * export, and type-checks generated modules. Parsed files are shared by every instance.
 * The `dist/` folders of the repository are invisible to it: TypeScript always matches the
 * `types` condition, which points at `dist/`, so hiding them makes workspace packages resolve
 * to their source (the next condition) whether or not they were built, and whatever is stale.
 *
 * @example
 * const compiler = new Compiler("/repo/packages/cache", options, "/repo");
 * const [cache] = compiler.exportsOf([{ specifier: "@mcpforge/cache" }]);
 * cache.get("cached"); // { from: "@mcpforge/cache", typeOnly: false }
 */
export class Compiler {
  static readonly #parsed = new Map<string, ts.SourceFile>();
  readonly #dir: string;
  readonly #options: ts.CompilerOptions;
  readonly #hidden: (file: string) => boolean;

  constructor(dir: string, options: ts.CompilerOptions, root: string) {
    this.#dir = dir;
    this.#options = options;
    this.#hidden = (file) => file.includes("/dist/") && isBuildOutput(file, root);
  }

  /** The file a specifier resolves to from this folder, or `undefined`. */
  resolve(specifier: string, fromFile = `${this.#dir}/__docs_check__.mts`): string | undefined {
    return ts.resolveModuleName(specifier, fromFile, this.#options, this.#host()).resolvedModule
      ?.resolvedFileName;
  }

  /**
   * The names each module exports (a specifier resolved from this folder, or a given file),
   * in order; a module that does not resolve exports nothing.
   */
  exportsOf(modules: readonly { specifier: string; file?: string }[]): Map<string, NameSource>[] {
    const files = modules.map((m) => m.file ?? this.resolve(m.specifier));
    const roots = files.filter((f): f is string => f !== undefined);
    const program = ts.createProgram({
      rootNames: roots,
      options: this.#options,
      host: this.#host(),
    });
    const checker = program.getTypeChecker();
    return modules.map((m, index) => {
      const names = new Map<string, NameSource>();
      const file = files[index];
      const sourceFile = file ? program.getSourceFile(file) : undefined;
      const moduleSymbol = sourceFile ? checker.getSymbolAtLocation(sourceFile) : undefined;
      for (const symbol of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
        if (symbol.name === "default") continue;
        names.set(symbol.name, { from: m.specifier, typeOnly: !hasValue(checker, symbol) });
      }
      return names;
    });
  }

  /** Type-checks generated modules; problems are placed in the snippets' own files. */
  check(modules: readonly VirtualModule[]): Problem[] {
    const virtual = new Map(modules.map((m) => [m.path, m]));
    const program = ts.createProgram({
      rootNames: [...virtual.keys()],
      options: this.#options,
      host: this.#host(virtual),
    });
    const problems: Problem[] = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
    ].map((diagnostic) => globalProblem(this.#dir, diagnostic));
    for (const owner of modules) {
      const sourceFile = program.getSourceFile(owner.path);
      if (!sourceFile) continue;
      const diagnostics = [
        ...program.getSyntacticDiagnostics(sourceFile),
        ...program.getSemanticDiagnostics(sourceFile),
      ];
      for (const diagnostic of diagnostics) {
        const at = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        problems.push(placeInSnippet(owner, at.line, at.character, diagnostic));
      }
    }
    return problems;
  }

  #host(virtual: ReadonlyMap<string, VirtualModule> = new Map()): ts.CompilerHost {
    const host = ts.createCompilerHost(this.#options, true);
    const getSourceFile = host.getSourceFile.bind(host);
    return {
      ...host,
      fileExists: (file) => virtual.has(file) || (!this.#hidden(file) && host.fileExists(file)),
      readFile: (file) => virtual.get(file)?.module.text ?? host.readFile(file),
      getSourceFile: (file, languageVersion, onError, shouldCreate) => {
        const generated = virtual.get(file);
        if (generated) {
          return ts.createSourceFile(file, generated.module.text, languageVersion, true);
        }
        const key = `${file}\0${JSON.stringify(languageVersion)}`;
        let sourceFile = Compiler.#parsed.get(key);
        if (!sourceFile) {
          sourceFile = getSourceFile(file, languageVersion, onError, shouldCreate);
          if (sourceFile) Compiler.#parsed.set(key, sourceFile);
        }
        return sourceFile;
      },
    };
  }
}

/** Whether a path is (through symlinks or not) in a `dist/` folder of the repository. */
function isBuildOutput(file: string, root: string): boolean {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return false;
  }
  return real.startsWith(`${root}/`) && !real.includes("/node_modules/") && real.includes("/dist/");
}

/** Whether an exported symbol can be imported as a value (not only as a type). */
function hasValue(checker: ts.TypeChecker, symbol: ts.Symbol): boolean {
  if (symbol.declarations?.some((d) => ts.isTypeOnlyImportOrExportDeclaration(d))) return false;
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return (target.flags & ts.SymbolFlags.Value) !== 0;
}

function placeInSnippet(
  owner: VirtualModule,
  line: number,
  character: number,
  diagnostic: ts.Diagnostic,
): Problem {
  const { snippet, module } = owner;
  const message = `${snippet.label}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
  const source = `${snippet.file}:${snippet.line}`;
  const codeLine = line - module.headerLines;
  if (codeLine < 0) {
    // The generated imports or declarations failed: the snippet as a whole is at fault.
    const where = { file: snippet.file, line: snippet.line, column: 1, source };
    return { ...where, message: `${message} (in the generated header)` };
  }
  return {
    file: snippet.file,
    line: snippet.line + codeLine,
    column: (snippet.columnOffsets[codeLine] ?? 0) + character + 1,
    message,
    source,
  };
}

function globalProblem(dir: string, diagnostic: ts.Diagnostic): Problem {
  return {
    file: `${dir}/tsconfig.json`,
    line: 1,
    column: 1,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
  };
}
