import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type Context, isToolHandlerStarted, markToolHandlerStarted } from "../context/context.js";
import { McpForgeError } from "../errors/errors.js";
import type { ToolDef } from "../registry/define.js";
import { toCallToolResult } from "../results/tool-result.js";
import { formatIssues } from "../schema/schema.js";
import { type AppInternals, optionalRecord, requireString } from "./internals.js";
import { paginate } from "./pagination.js";

/**
 * Whether the tool handler of this request was invoked (errors after that point become
 * `isError` results rather than JSON-RPC errors).
 *
 * @example
 * // In dispatch's catch: a failure inside the tool's handler is an isError result,
 * // any failure before it (unknown tool, invalid arguments) a JSON-RPC error.
 * const err = new Error("disk full");
 * if (toolHandlerStarted(ctx)) return errorResult(`Tool failed: ${err.message}`);
 * throw err;
 */
export function toolHandlerStarted(ctx: Context): boolean {
  return isToolHandlerStarted(ctx);
}

/**
 * Answers `tools/list` with one page of enabled tools.
 *
 * @example
 * import { defineToolDef } from "../registry/define.js";
 * import { Registry } from "../registry/registry.js";
 * import type { AppInternals } from "./internals.js";
 * const none = () => {};
 * const internals: AppInternals = {
 *   tools: new Registry("tool", none),
 *   resources: new Registry("resource", none),
 *   templates: new Registry("resource template", none),
 *   prompts: new Registry("prompt", none),
 *   pageSize: 100,
 *   logger,
 * };
 * internals.tools.add(defineToolDef("ping", { description: "Answers pong" }, () => "pong"));
 * await listTools(internals, ctx); // { tools: [{ name: "ping", description: "Answers pong", inputSchema: … }] }
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
 * import { defineToolDef } from "../registry/define.js";
 * import { Registry } from "../registry/registry.js";
 * import type { AppInternals } from "./internals.js";
 * const none = () => {};
 * const internals: AppInternals = {
 *   tools: new Registry("tool", none),
 *   resources: new Registry("resource", none),
 *   templates: new Registry("resource template", none),
 *   prompts: new Registry("prompt", none),
 *   pageSize: 100,
 *   logger,
 * };
 * internals.tools.add(defineToolDef("ping", {}, () => "pong"));
 * // ctx: a tools/call request with params { name: "ping" }
 * const def = resolveTool(internals, ctx); // the "ping" definition (undefined when disabled)
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
 * import { defineToolDef } from "../registry/define.js";
 * import { Registry } from "../registry/registry.js";
 * import type { AppInternals } from "./internals.js";
 * const none = () => {};
 * const internals: AppInternals = {
 *   tools: new Registry("tool", none),
 *   resources: new Registry("resource", none),
 *   templates: new Registry("resource template", none),
 *   prompts: new Registry("prompt", none),
 *   pageSize: 100,
 *   logger,
 * };
 * const add = (args: { a: number; b: number }) => args.a + args.b; // app.tool() types it
 * internals.tools.add(defineToolDef("add", { input: { a: z.number(), b: z.number() } }, add));
 * // ctx: a tools/call request with params { name: "add", arguments: { a: 1, b: 2 } }
 * const result = await callTool(ctx, resolveTool(internals, ctx)); // { content: [{ type: "text", text: "3" }] }
 */
export async function callTool(ctx: Context, def: ToolDef | undefined): Promise<CallToolResult> {
  const name = requireString(ctx, "name");
  if (!def) throw new McpForgeError("invalid_params", `Unknown tool: ${name}`);
  const args = optionalRecord(ctx, "arguments");
  const checked = def.input.validate(args);
  if (!checked.ok) {
    return errorResult(`Invalid arguments for tool "${name}": ${formatIssues(checked.issues)}`);
  }
  markToolHandlerStarted(ctx);
  const value = def.handler(checked.value, ctx);
  // a synchronous handler's value needs no await (one microtask less per call)
  return toCallToolResult(isThenable(value) ? await value : value);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value instanceof Promise ||
    (((typeof value === "object" && value !== null) || typeof value === "function") &&
      typeof (value as { then?: unknown }).then === "function")
  );
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
 * import { defineToolDef } from "../registry/define.js";
 * import { Registry } from "../registry/registry.js";
 * import type { AppInternals } from "./internals.js";
 * const none = () => {};
 * const internals: AppInternals = {
 *   tools: new Registry("tool", none),
 *   resources: new Registry("resource", none),
 *   templates: new Registry("resource template", none),
 *   prompts: new Registry("prompt", none),
 *   pageSize: 100,
 *   logger,
 * };
 * const options = { output: z.object({ total: z.number() }) };
 * const def = defineToolDef("total", options, () => ({ total: 3 }));
 * checkOutput(internals, def, { content: [], structuredContent: { total: 3 } }); // passes
 * checkOutput(internals, def, { content: [], structuredContent: { sum: 3 } }); // logs, throws OutputSchemaError
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
