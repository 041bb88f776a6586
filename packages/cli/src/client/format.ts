import type { Tool } from "@mcpforge/core/client";
import { out } from "../internal/ui.js";
import type { Catalog } from "./catalog.js";

type Schema = Record<string, unknown>;

/** A one-word type for a JSON Schema node (`string`, `number[]`, `"a" | "b"`). */
function typeName(s: Schema): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in s) return JSON.stringify(s.const);
  if (s.type === "array") {
    const item = typeName((s.items as Schema) ?? {});
    return item.includes(" | ") ? `(${item})[]` : `${item}[]`;
  }
  if (Array.isArray(s.type)) return s.type.join(" | ");
  if (typeof s.type === "string") return s.type;
  for (const k of ["anyOf", "oneOf"]) {
    if (Array.isArray(s[k])) return (s[k] as Schema[]).map(typeName).join(" | ");
  }
  return "any";
}

/** Parameter lines of an object schema: `name*: string — description` (`*` = required). */
export function describeParameters(schema: Schema | undefined, indent: string): string[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => {
    const mark = required.has(name) ? "*" : "";
    const description = typeof s.description === "string" ? ` — ${s.description}` : "";
    return `${indent}${name}${mark}: ${typeName(s)}${description}`;
  });
}

function hints(tool: Tool): string {
  const a = tool.annotations ?? {};
  const tags = [
    a.readOnlyHint && "read-only",
    a.destructiveHint && "destructive",
    a.idempotentHint && "idempotent",
    a.openWorldHint && "open-world",
  ].filter(Boolean);
  return tags.length > 0 ? out.dim(` [${tags.join(", ")}]`) : "";
}

const line = (name: string, description: string | undefined) =>
  `  ${out.bold(name)}${description ? `  ${description}` : ""}`;

/**
 * The human-readable form of `mcpforge inspect`.
 *
 * @example
 * import { Client, StreamableHTTPClientTransport } from "@mcpforge/core/client";
 * import { readCatalog } from "./catalog.js";
 * const client = new Client({ name: "mcpforge", version: "1.0.0" });
 * await client.connect(new StreamableHTTPClientTransport(new URL("http://127.0.0.1:3000/mcp")));
 * process.stdout.write(formatCatalog(await readCatalog(client)));
 */
export function formatCatalog(catalog: Catalog, verbose = true): string {
  const lines: string[] = [];
  const s = catalog.server;
  if (verbose) {
    lines.push(`${out.bold(s?.title ?? s?.name ?? "server")} ${s?.version ?? ""}`.trimEnd());
    lines.push(`capabilities: ${Object.keys(catalog.capabilities).sort().join(", ") || "none"}`);
    if (catalog.instructions) lines.push(`instructions: ${catalog.instructions}`);
    lines.push("");
  }
  lines.push(out.underline(`Tools (${catalog.tools.length})`));
  for (const tool of catalog.tools) {
    lines.push(line(tool.name, tool.description) + hints(tool));
    if (!verbose) continue;
    const input = describeParameters(tool.inputSchema as Schema, "      ");
    if (input.length > 0) lines.push("    input:", ...input);
    if (tool.outputSchema) {
      lines.push("    output:", ...describeParameters(tool.outputSchema as Schema, "      "));
    }
  }
  lines.push("", out.underline(`Resources (${catalog.resources.length})`));
  for (const r of catalog.resources) lines.push(line(r.uri, r.description));
  lines.push("", out.underline(`Resource templates (${catalog.resourceTemplates.length})`));
  for (const t of catalog.resourceTemplates) lines.push(line(t.uriTemplate, t.description));
  lines.push("", out.underline(`Prompts (${catalog.prompts.length})`));
  for (const p of catalog.prompts) {
    lines.push(line(p.name, p.description));
    if (!verbose) continue;
    for (const a of p.arguments ?? []) {
      lines.push(
        `      ${a.name}${a.required ? "*" : ""}${a.description ? ` — ${a.description}` : ""}`,
      );
    }
  }
  return lines.join("\n");
}
