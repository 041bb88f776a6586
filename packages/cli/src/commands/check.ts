import { relative } from "node:path";
import { checkRules, checkServer, type Finding } from "@mcpforge/testing";
import { collect, examples, type RegisterCommand } from "../internal/command.js";
import { c, out, print, say } from "../internal/ui.js";
import { loadApp } from "../load/load-app.js";

const SEVERITY_COLOR = { error: out.red, warning: out.yellow, info: out.blue } as const;

function formatFinding(f: Finding): string {
  const where = f.location
    ? `${f.location.file}:${f.location.line}:${f.location.column}`
    : `${f.component.type} ${f.component.name}`;
  return `${SEVERITY_COLOR[f.severity](f.severity.padEnd(7))} ${out.bold(f.rule)}  ${where}\n  ${f.message}\n  ${out.dim(`fix: ${f.fix}`)}`;
}

interface CheckFlags {
  json?: boolean;
  strict?: boolean;
  ignore?: string[];
}

/** `mcpforge check <file>`: the quality checker (the same rules as `checkServer` in @mcpforge/testing). */
export const registerCheck: RegisterCommand = (program, outcomes) => {
  const rules = checkRules.map((r) => `  ${r.id.padEnd(26)} ${r.severity.padEnd(8)} ${r.summary}`);
  program
    .command("check")
    .description(
      "Check a server's quality: descriptions, bounded inputs, annotations, names, and risky code",
    )
    .argument("<file>", "server file, optionally with :export")
    .option("--json", "print the report as JSON ({ findings, counts })")
    .option("--strict", "exit 1 on warnings too")
    .option("--ignore <rule>", "skip a rule (repeatable)", collect)
    .addHelpText(
      "after",
      `${examples([
        "mcpforge check server.ts",
        "mcpforge check src/server.ts --strict",
        "mcpforge check server.ts --json --ignore unbounded-number",
      ])}\nExit code 1 when there are errors (or warnings with --strict).\n\nRules:\n${rules.join("\n")}\n`,
    )
    .action(async (target: string, flags: CheckFlags) => {
      const { app, file } = await loadApp(target);
      const report = await checkServer(app as never, {
        source: relative(process.cwd(), file),
        ignore: flags.ignore ?? [],
      });
      const { error, warning } = report.counts;
      if (flags.json) {
        print(JSON.stringify(report, null, 2));
      } else if (report.findings.length > 0) {
        print(report.findings.map(formatFinding).join("\n\n"));
      }
      const summary = `${error} error${error === 1 ? "" : "s"}, ${warning} warning${warning === 1 ? "" : "s"}`;
      say(report.findings.length === 0 ? c.green("✔ no findings") : summary);
      outcomes.value = error > 0 || (flags.strict && warning > 0) ? 1 : 0;
    });
};
