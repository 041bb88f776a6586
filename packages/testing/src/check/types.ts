import type { Prompt, Resource, ResourceTemplate, Tool } from "@modelcontextprotocol/sdk/types.js";

/** How bad a finding is: `error` fails `mcpforge check`, `warning` fails it with `--strict`. */
export type Severity = "error" | "warning" | "info";

/** What a finding is about: a component of the server, or a place in its source. */
export interface FindingComponent {
  type: "tool" | "prompt" | "resource" | "resource-template" | "source";
  /** The tool or prompt name, the resource URI or template, or the source file (relative). */
  name: string;
}

/** One problem found by {@link checkServer}. */
export interface Finding {
  /** Stable rule id, e.g. `tool-description`. */
  rule: string;
  severity: Severity;
  component: FindingComponent;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  fix: string;
  /** Where, for findings from the source scan (1-based line and column). */
  location?: { file: string; line: number; column: number };
}

/** A `<x>.tool("name", { ... }, handler)` call found in the server's source. */
export interface ToolSite {
  name: string;
  /** The options object literal has an `output` key. */
  hasOutput: boolean;
  /** The handler returns an object literal somewhere. */
  returnsObject: boolean;
  /** Destructive-looking calls or SQL in the handler (e.g. `rm`, `DELETE FROM`). */
  destructiveCalls: string[];
  location: { file: string; line: number; column: number };
}

/** A parsed source file of the server (the entry and its relative imports). */
export interface SourceFile {
  /** Path relative to the working directory, with `/` separators. */
  file: string;
  /** The Babel AST (`File` node). */
  ast: unknown;
}

/** Everything the rules look at. */
export interface CheckContext {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  templates: ResourceTemplate[];
  /** Parsed source files; empty unless `source` was given. */
  sources: SourceFile[];
  /** Tool registrations found in the source files. */
  toolSites: ToolSite[];
}

/** A finding without the fields its rule fills in. */
export type RawFinding = Omit<Finding, "rule" | "severity"> & { severity?: Severity };

/** One quality rule: an id, a default severity and a check over the server. */
export interface CheckRule {
  id: string;
  severity: Severity;
  /** One line: what the rule looks for. */
  summary: string;
  check(ctx: CheckContext): Iterable<RawFinding>;
}
