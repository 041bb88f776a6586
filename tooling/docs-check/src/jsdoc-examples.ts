import ts from "typescript";
import type { Snippet } from "./snippet.js";

/**
 * Every `@example` of the exported declarations of a source file (and of the public members
 * of exported classes and interfaces), with the position of each line in the file.
 *
 * @example
 * const sourceFile = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
 * const examples = jsdocExamples(sourceFile); // [{ file: path, line: 12, code: "timing()", ... }]
 */
export function jsdocExamples(sourceFile: ts.SourceFile): Snippet[] {
  const exportedNames = locallyExportedNames(sourceFile);
  const seen = new Set<number>();
  const out: Snippet[] = [];
  const collect = (node: ts.Node, label: string) => {
    for (const tag of ts.getJSDocTags(node)) {
      if (tag.tagName.text !== "example" || seen.has(tag.pos)) continue;
      seen.add(tag.pos);
      out.push(exampleOf(sourceFile, tag, label));
    }
  };
  for (const statement of sourceFile.statements) {
    const names = declaredNames(statement);
    if (!hasExportModifier(statement) && !names.some((name) => exportedNames.has(name))) continue;
    const label = names[0] ?? "default";
    collect(statement, label);
    if (ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
      for (const member of statement.members) {
        if (!isPublicMember(member)) continue;
        const memberName = member.name && ts.isIdentifier(member.name) ? member.name.text : "";
        collect(member, `${label}.${memberName}`);
      }
    }
  }
  return out;
}

/** The snippet of one `@example` tag: its lines without the ` * ` margin, caption and fences. */
function exampleOf(sourceFile: ts.SourceFile, tag: ts.JSDocTag, label: string): Snippet {
  const start = tag.getStart(sourceFile);
  const raw = sourceFile.text.slice(start, tag.end);
  const firstLine = sourceFile.getLineAndCharacterOfPosition(start);
  const lines = raw.split("\n");
  const code: string[] = [];
  const columnOffsets: number[] = [];
  lines.forEach((text, index) => {
    let offset: number;
    let rest: string;
    if (index === 0) {
      offset = firstLine.character + "@example".length;
      rest = text.slice("@example".length);
    } else {
      const margin = /^\s*\* ?/.exec(text)?.[0] ?? "";
      offset = margin.length;
      rest = text.slice(margin.length);
    }
    // A caption or a Markdown fence is blanked, not removed, so line numbers stay true.
    if (/^\s*<caption>.*<\/caption>\s*$/.test(rest) || /^\s*```/.test(rest)) rest = "";
    code.push(rest.trimEnd());
    columnOffsets.push(offset);
  });
  while (code.length > 0 && code[code.length - 1] === "") {
    code.pop();
    columnOffsets.pop();
  }
  return {
    file: sourceFile.fileName,
    line: firstLine.line + 1,
    columnOffsets,
    code: code.join("\n"),
    label: `@example of ${label}`,
  };
}

function hasExportModifier(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** Names exported by `export { a, b as c }` without a module specifier. */
function locallyExportedNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (
      ts.isExportDeclaration(statement) &&
      !statement.moduleSpecifier &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) {
        names.add((element.propertyName ?? element.name).text);
      }
    }
    if (ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression)) {
      names.add(statement.expression.text);
    }
  }
  return names;
}

/** The names a top-level statement declares. */
export function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  }
  if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isModuleDeclaration(statement)) &&
    statement.name &&
    ts.isIdentifier(statement.name)
  ) {
    return [statement.name.text];
  }
  if (ts.isImportDeclaration(statement) && statement.importClause) {
    const clause = statement.importClause;
    const names = clause.name ? [clause.name.text] : [];
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) names.push(element.name.text);
    }
    return names;
  }
  if (ts.isImportEqualsDeclaration(statement)) return [statement.name.text];
  return [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) =>
    ts.isOmittedExpression(element) ? [] : bindingNames(element.name),
  );
}

function isPublicMember(member: ts.ClassElement | ts.TypeElement): boolean {
  if (member.name && ts.isPrivateIdentifier(member.name)) return false;
  const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
  return !modifiers.some(
    (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
  );
}
