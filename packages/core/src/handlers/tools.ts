import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "../context/context.js";
import { McpForgeError } from "../errors/errors.js";
import type { ToolDef } from "../registry/define.js";
import { toCallToolResult } from "../results/tool-result.js";
import { formatIssues } from "../schema/schema.js";
import { type AppInternals, optionalRecord, requireString } from "./internals.js";
import { paginate } from "./pagination.js";

const started = new WeakSet<Context>();

/**
 * Whether the tool handler of this request was invoked (errors after that point become
 * `isError` results rather than JSON-RPC errors).
 *
 * @example
 * if (toolHandlerStarted(ctx)) return errorResult(message);
 */
export function toolHandlerStarted(ctx: Context): boolean {
  return started.has(ctx);
}

/**
 * Answers `tools/list` with one page of enabled tools.
 *
 * @example
 * await listTools(app, ctx);
 */
export async function listTools(app: AppInternals, ctx: Context) {
  const page = paginate(app.tools.list(), ctx.params.cursor, app.pageSize);
  const result: { tools: unknown[]; nextCursor?: string } = {
    tools: page.items.map((t) => t.entry),
  };
  if (page.nextCursor) result.nextCursor = page.nextCursor;
  return result;
}

/**
 * Finds the enabled tool a `tools/call` names.
 *
 * @example
 * const def = resolveTool(app, ctx);
 */
export function resolveTool(app: AppInternals, ctx: Context): ToolDef | undefined {
  const name = ctx.params.name;
  return typeof name === "string" ? app.tools.getEnabled(name) : undefined;
}

/**
 * Runs a tool: validates the arguments (a failure is an `isError` result naming each bad
 * field, SEP-1303), invokes the handler and converts what it returns.
 *
 * @example
 * const result = await callTool(app, ctx, def);
 */
export async function callTool(ctx: Context, def: ToolDef | undefined): Promise<CallToolResult> {
  const name = requireString(ctx, "name");
  if (!def) throw new McpForgeError("invalid_params", `Unknown tool: ${name}`);
  const args = optionalRecord(ctx, "arguments");
  const checked = def.input.validate(args);
  if (!checked.ok) {
    return errorResult(`Invalid arguments for tool "${name}": ${formatIssues(checked.issues)}`);
  }
  started.add(ctx);
  return toCallToolResult(await def.handler(checked.value, ctx));
}

/**
 * An `isError: true` result with one text block.
 *
 * @example
 * return errorResult("Cannot divide by zero");
 */
export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: message }] };
}

/**
 * Validates a tool result against the tool's output schema; a mismatch is a server error.
 *
 * @example
 * checkOutput(app, def, result);
 */
export function checkOutput(app: AppInternals, def: ToolDef, result: CallToolResult): void {
  if (!def.output || result.isError) return;
  const structured = result.structuredContent;
  const checked = structured === undefined ? undefined : def.output.validate(structured);
  if (checked?.ok) return;
  const detail = checked ? formatIssues(checked.issues) : "no structuredContent";
  app.logger.error("tool output does not match its output schema", { tool: def.key, detail });
  throw new OutputSchemaError(def.key);
}

/** A tool result that does not match the tool's output schema: always a JSON-RPC error. */
export class OutputSchemaError extends McpForgeError {
  constructor(tool: string) {
    super("internal", `Tool "${tool}" produced output that does not match its output schema`);
  }
}
