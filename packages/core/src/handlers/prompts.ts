import type { GetPromptResult, PromptMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "../context/context.js";
import { McpForgeError } from "../errors/errors.js";
import type { PromptDef } from "../registry/define.js";
import type { PromptReturn } from "../registry/types.js";
import { formatIssues } from "../schema/schema.js";
import { type AppInternals, optionalRecord, requireString } from "./internals.js";
import { paginate } from "./pagination.js";

/**
 * Answers `prompts/list`.
 *
 * @example
 * import { definePromptDef } from "../registry/define.js";
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
 * internals.prompts.add(definePromptDef("greet", { description: "Greets someone" }, () => "Hello!"));
 * await listPrompts(internals, ctx); // { prompts: [{ name: "greet", description: "Greets someone" }] }
 */
export async function listPrompts(app: AppInternals, ctx: Context) {
  const page = paginate(app.prompts.list(), ctx.params.cursor, app.pageSize);
  const result: { prompts: unknown[]; nextCursor?: string } = {
    prompts: page.items.map((p) => p.entry),
  };
  if (page.nextCursor) result.nextCursor = page.nextCursor;
  return result;
}

/**
 * Finds the enabled prompt a `prompts/get` names.
 *
 * @example
 * import { definePromptDef } from "../registry/define.js";
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
 * internals.prompts.add(definePromptDef("greet", {}, () => "Hello!"));
 * // ctx: a prompts/get request with params { name: "greet" }
 * const def = resolvePrompt(internals, ctx); // the "greet" definition (undefined when disabled)
 */
export function resolvePrompt(app: AppInternals, ctx: Context): PromptDef | undefined {
  const name = ctx.params.name;
  return typeof name === "string" ? app.prompts.getEnabled(name) : undefined;
}

function message(m: PromptMessage | string): PromptMessage {
  return typeof m === "string" ? { role: "user", content: { type: "text", text: m } } : m;
}

/**
 * Converts what a prompt handler returned into a `GetPromptResult`.
 *
 * @example
 * toPromptResult("Hello", "A greeting");
 */
export function toPromptResult(value: PromptReturn, description?: string): GetPromptResult {
  let result: GetPromptResult;
  if (typeof value === "string") result = { messages: [message(value)] };
  else if (Array.isArray(value)) result = { messages: value.map(message) };
  else if ("messages" in value) {
    result = { messages: value.messages.map(message) };
    if (value.description !== undefined) result.description = value.description;
  } else result = { messages: [value] };
  if (result.description === undefined && description !== undefined) {
    result.description = description;
  }
  return result;
}

/**
 * Answers `prompts/get`: validates the arguments (missing required ones are -32602).
 *
 * @example
 * import { definePromptDef } from "../registry/define.js";
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
 * const greet = (args: unknown) => `Hi ${(args as { name: string }).name}`; // app.prompt() types it
 * internals.prompts.add(definePromptDef("greet", { args: { name: z.string() } }, greet));
 * // ctx: a prompts/get request with params { name: "greet", arguments: { name: "Ada" } }
 * await getPrompt(ctx, resolvePrompt(internals, ctx));
 * // { messages: [{ role: "user", content: { type: "text", text: "Hi Ada" } }] }
 */
export async function getPrompt(
  ctx: Context,
  def: PromptDef | undefined,
): Promise<GetPromptResult> {
  const name = requireString(ctx, "name");
  if (!def) throw new McpForgeError("invalid_params", `Unknown prompt: ${name}`);
  const checked = def.args.validate(optionalRecord(ctx, "arguments"));
  if (!checked.ok) {
    throw new McpForgeError(
      "invalid_params",
      `Invalid arguments for prompt "${name}": ${formatIssues(checked.issues)}`,
    );
  }
  return toPromptResult(await def.handler(checked.value, ctx), def.entry.description);
}

/**
 * Answers `completion/complete` for prompt arguments and template variables.
 *
 * @example
 * import { definePromptDef } from "../registry/define.js";
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
 * const names = (value: string) => ["Ada", "Alan", "Grace"].filter((n) => n.startsWith(value));
 * const options = { args: { name: z.string() }, complete: { name: names } };
 * internals.prompts.add(definePromptDef("greet", options, () => "Hello!"));
 * // ctx: params { ref: { type: "ref/prompt", name: "greet" }, argument: { name: "name", value: "A" } }
 * await complete(internals, ctx); // { completion: { values: ["Ada", "Alan"], total: 2, hasMore: false } }
 */
export async function complete(app: AppInternals, ctx: Context) {
  const ref = optionalRecord(ctx, "ref");
  const argument = optionalRecord(ctx, "argument");
  const argName = argument.name;
  const value = argument.value;
  if (typeof argName !== "string" || typeof value !== "string") {
    throw new McpForgeError(
      "invalid_params",
      'Invalid "argument": expected { name, value } strings',
    );
  }
  const context = optionalRecord(ctx, "context");
  const args = (context.arguments ?? {}) as Record<string, string>;
  let completer: PromptDef["complete"][string] | undefined;
  if (ref.type === "ref/prompt") {
    const def = typeof ref.name === "string" ? app.prompts.getEnabled(ref.name) : undefined;
    if (!def) throw new McpForgeError("invalid_params", `Unknown prompt: ${String(ref.name)}`);
    completer = def.complete[argName];
  } else if (ref.type === "ref/resource") {
    const uri = ref.uri;
    const def = typeof uri === "string" ? app.templates.getEnabled(uri) : undefined;
    if (!def && !(typeof uri === "string" && app.resources.getEnabled(uri))) {
      throw new McpForgeError("resource_not_found", `Resource not found: ${String(uri)}`);
    }
    completer = def?.complete[argName];
  } else {
    throw new McpForgeError("invalid_params", 'Invalid "ref": expected ref/prompt or ref/resource');
  }
  const all = completer ? await completer(value, { arguments: args }) : [];
  const values = all.slice(0, 100);
  return { completion: { values, total: all.length, hasMore: all.length > values.length } };
}

/** The valid `logging/setLevel` levels. */
const LEVELS = new Set([
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
]);

/**
 * Validates a `logging/setLevel` level or fails with -32602.
 *
 * @example
 * import { Session } from "../protocol/session.js";
 * const session = new Session("s1", undefined, "memory");
 * // ctx: a logging/setLevel request with params { level: "warning" }
 * session.logLevel = parseLevel(ctx); // "warning"; an unknown level throws invalid_params (-32602)
 */
export function parseLevel(ctx: Context) {
  const level = ctx.params.level;
  if (typeof level !== "string" || !LEVELS.has(level)) {
    throw new McpForgeError("invalid_params", `Invalid log level: ${JSON.stringify(level)}`);
  }
  return level as "debug";
}
