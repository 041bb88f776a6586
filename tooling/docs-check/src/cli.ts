#!/usr/bin/env node
// docs-check [--root <dir>] [--config <file.json>] [folder...]: type-checks every JSDoc @example
// of the packages and checks every README code block (see ../README.md). Folders given narrow the
// run to them, skipped or not. Exit code 1 when a doc does not match the code.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkDocs } from "./check.js";
import { type DocsCheckConfig, config as repositoryConfig } from "./config.js";
import { formatProblem } from "./snippet.js";

const { values, positionals } = parseArgs({
  options: { root: { type: "string" }, config: { type: "string" } },
  allowPositionals: true,
});
const root = resolve(values.root ?? process.cwd());
const config: DocsCheckConfig = values.config
  ? JSON.parse(readFileSync(values.config, "utf8"))
  : repositoryConfig;
const result = checkDocs(root, config, positionals);

for (const problem of result.problems) console.error(formatProblem(problem, root));
const scope = `${result.examples} JSDoc examples in ${result.packages.join(", ") || "no packages"}; ${result.blocks} code blocks in ${result.readmes.length} READMEs`;
const skipped =
  positionals.length === 0 && config.skip.length > 0 ? ` (skipped: ${config.skip.join(", ")})` : "";
if (result.problems.length > 0) {
  const failing = new Set(result.problems.map((p) => p.source ?? `${p.file}:${p.line}`)).size;
  console.error(
    `\ndocs-check: ${result.problems.length} problems in ${failing} examples or blocks — ${scope}${skipped}`,
  );
  process.exitCode = 1;
} else {
  console.log(`docs-check: ok — ${scope}${skipped}`);
}
