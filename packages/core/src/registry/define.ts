import type {
  Annotations,
  Icon,
  Prompt,
  PromptArgument,
  Resource,
  ResourceTemplate,
  Tool,
} from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";
import type { ComponentInfo, Context } from "../context/context.js";
import { UriTemplate } from "../resources/uri-template.js";
import { type CompiledSchema, compileSchema, type SchemaInput } from "../schema/schema.js";
import type {
  Completer,
  ComponentOptions,
  Forwarder,
  MaybePromise,
  PromptOptions,
  PromptReturn,
  ResourceHandler,
  ResourceOptions,
  ResourceReturn,
  ToolOptions,
} from "./types.js";

const NAME_RE = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The registration call's shape: `(name, options, handler)`. A common slip — the FastMCP habit
 * of `app.tool(name, handler)` — gets a message that shows the expected call.
 */
function checkCall(
  kind: "tool" | "prompt" | "resource",
  name: string,
  options: unknown,
  handler: unknown,
) {
  const example =
    kind === "tool"
      ? `app.tool("${name}", { description: "…", input: { x: z.string() } }, async ({ x }, ctx) => …)`
      : kind === "prompt"
        ? `app.prompt("${name}", { description: "…", args: { topic: z.string() } }, ({ topic }) => …)`
        : `app.resource("${name}", { description: "…", mimeType: "text/plain" }, (ctx) => …)`;
  if (typeof options === "function" && handler === undefined) {
    throw new Error(
      `@mcpforge/core: ${kind} "${name}" was given a handler but no options: write ${example}`,
    );
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new Error(`@mcpforge/core: ${kind} "${name}" needs an options object: write ${example}`);
  }
  if (typeof handler !== "function") {
    throw new Error(`@mcpforge/core: ${kind} "${name}" needs a handler function: write ${example}`);
  }
}

function checkName(kind: string, name: string): void {
  if (typeof name !== "string" || !NAME_RE.test(name)) {
    throw new Error(
      `@mcpforge/core: invalid ${kind} name ${JSON.stringify(name)}: use 1-128 characters from A-Z a-z 0-9 _ - .`,
    );
  }
}

function common(name: string, o: ComponentOptions) {
  const out: {
    name: string;
    title?: string;
    description?: string;
    icons?: Icon[];
    _meta?: Record<string, unknown>;
  } = { name };
  if (o.title !== undefined) out.title = o.title;
  if (o.description !== undefined) out.description = o.description;
  if (o.icons !== undefined) out.icons = o.icons;
  if (o._meta !== undefined) out._meta = o._meta;
  return out;
}

function info(
  type: ComponentInfo["type"],
  name: string,
  o: ComponentOptions,
  annotations?: object,
  key: string = name,
): ComponentInfo {
  return {
    type,
    name,
    key,
    tags: new Set(o.tags ?? []),
    annotations: annotations as Record<string, unknown> | undefined,
    meta: o._meta,
  };
}

/** A registered tool. */
export interface ToolDef {
  readonly key: string;
  enabled: boolean;
  readonly info: ComponentInfo;
  readonly entry: Tool;
  readonly input: CompiledSchema;
  readonly output: CompiledSchema | undefined;
  readonly handler: (args: unknown, ctx: Context) => unknown;
  /** Set for a forwarded component: another server answers its requests (`app.forward()`). */
  readonly forward?: Forwarder;
}

/**
 * Builds a tool definition, compiling its schemas once.
 *
 * @example
 * const def = defineToolDef("add", { input: { a: z.number() } }, ({ a }) => a);
 */
export function defineToolDef(
  name: string,
  options: ToolOptions<SchemaInput | undefined, z.ZodObject | undefined>,
  handler: (args: never, ctx: never) => unknown,
): ToolDef {
  checkName("tool", name);
  checkCall("tool", name, options, handler);
  const input = compileSchema(options.input, `input schema of tool "${name}"`, "input");
  const output =
    options.output === undefined
      ? undefined
      : compileSchema(options.output, `output schema of tool "${name}"`, "output");
  const entry: Tool = { ...common(name, options), inputSchema: input.jsonSchema };
  if (output) entry.outputSchema = output.jsonSchema;
  if (options.annotations) entry.annotations = options.annotations;
  return {
    key: name,
    enabled: options.enabled ?? true,
    info: info("tool", name, options, options.annotations),
    entry,
    input,
    output,
    handler: handler as ToolDef["handler"],
  };
}

/** A registered static resource. */
export interface ResourceDef {
  readonly key: string;
  enabled: boolean;
  readonly info: ComponentInfo;
  readonly entry: Resource;
  readonly handler: ResourceHandler;
  /** Set for a forwarded component: another server answers its requests (`app.forward()`). */
  readonly forward?: Forwarder;
}

/** A registered resource template. */
export interface TemplateDef {
  readonly key: string;
  enabled: boolean;
  readonly info: ComponentInfo;
  readonly entry: ResourceTemplate;
  readonly template: UriTemplate;
  readonly params: CompiledSchema | undefined;
  readonly complete: Record<string, Completer>;
  /** Variables the template lets through unchecked (`unsafeRaw`). */
  readonly unsafeRaw: ReadonlySet<string>;
  readonly handler: (params: unknown, ctx: Context, uri: string) => MaybePromise<ResourceReturn>;
  /** Set for a forwarded component: another server answers its requests (`app.forward()`). */
  readonly forward?: Forwarder;
}

function resourceFields(o: ResourceOptions<z.ZodRawShape | undefined>) {
  const out: { mimeType?: string; size?: number; annotations?: Annotations } = {};
  if (o.mimeType !== undefined) out.mimeType = o.mimeType;
  if (o.size !== undefined) out.size = o.size;
  if (o.annotations !== undefined) out.annotations = o.annotations;
  return out;
}

/**
 * Builds a static resource definition.
 *
 * @example
 * const def = defineResourceDef("config://app", {}, () => "{}");
 */
export function defineResourceDef(
  uri: string,
  options: ResourceOptions<z.ZodRawShape | undefined>,
  handler: ResourceHandler,
): ResourceDef {
  checkCall("resource", uri, options, handler);
  checkScheme("resource", uri);
  if (!URL.canParse(uri)) {
    throw new Error(
      `@mcpforge/core: resource URI ${JSON.stringify(uri)} is not a valid absolute URI`,
    );
  }
  const name = options.name ?? uri;
  return {
    key: uri,
    enabled: options.enabled ?? true,
    info: info("resource", name, options, options.annotations, uri),
    entry: { ...common(name, options), uri, ...resourceFields(options) },
    handler,
  };
}

/**
 * Builds a resource template definition (RFC 6570).
 *
 * @example
 * // app.resource() types the handler; the definition takes the variables as `unknown`.
 * const user = (vars: unknown) => `user ${(vars as { id: string }).id}`;
 * const def = defineTemplateDef("users://{id}", {}, user);
 * def.template.match("users://42"); // { id: "42" }
 */
export function defineTemplateDef(
  uriTemplate: string,
  options: ResourceOptions<z.ZodRawShape | undefined>,
  handler: TemplateDef["handler"],
): TemplateDef {
  checkCall("resource", uriTemplate, options, handler);
  checkScheme("resource template", uriTemplate);
  const template = new UriTemplate(uriTemplate);
  const name = options.name ?? uriTemplate;
  const variable = (what: string, key: string) => {
    if (!template.variableNames.includes(key)) {
      throw new Error(
        `@mcpforge/core: resource template "${uriTemplate}": ${what} names "${key}", which is not one of its variables (${template.variableNames.join(", ") || "none"})`,
      );
    }
  };
  for (const key of Object.keys(options.params ?? {})) variable("params", key);
  if (options.unsafeRaw !== undefined && !Array.isArray(options.unsafeRaw)) {
    throw new Error(
      `@mcpforge/core: resource template "${uriTemplate}": unsafeRaw must be an array of variable names`,
    );
  }
  for (const key of options.unsafeRaw ?? []) variable("unsafeRaw", key);
  const params =
    options.params === undefined
      ? undefined
      : compileSchema(options.params, `params schema of resource template "${uriTemplate}"`);
  for (const key of Object.keys(options.complete ?? {})) {
    if (!template.variableNames.includes(key)) {
      throw new Error(
        `@mcpforge/core: template "${uriTemplate}" has no variable "${key}" to complete`,
      );
    }
  }
  const { size: _size, ...fields } = resourceFields(options);
  return {
    key: uriTemplate,
    enabled: options.enabled ?? true,
    info: info("template", name, options, options.annotations, uriTemplate),
    entry: { ...common(name, options), uriTemplate, ...fields },
    template,
    params,
    complete: options.complete ?? {},
    unsafeRaw: new Set(options.unsafeRaw ?? []),
    handler,
  };
}

/** A URI (or template) must start with a scheme (`docs://`, `file:///`, `urn:`). */
function checkScheme(what: string, uri: string): void {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) {
    throw new Error(
      `@mcpforge/core: ${what} "${uri}" has no scheme: write it as a URI, e.g. "docs://${uri.replace(/^\/+/, "")}"`,
    );
  }
}

/** A registered prompt. */
export interface PromptDef {
  readonly key: string;
  enabled: boolean;
  readonly info: ComponentInfo;
  readonly entry: Prompt;
  readonly args: CompiledSchema;
  readonly complete: Record<string, Completer>;
  readonly handler: (args: unknown, ctx: Context) => MaybePromise<PromptReturn>;
  /** Set for a forwarded component: another server answers its requests (`app.forward()`). */
  readonly forward?: Forwarder;
}

/**
 * Builds a prompt definition; its declared arguments come from the zod shape.
 *
 * @example
 * // app.prompt() types the handler; the definition takes the arguments as `unknown`.
 * const greet = (args: unknown) => `Hi ${(args as { name: string }).name}`;
 * const def = definePromptDef("greet", { args: { name: z.string() } }, greet);
 * def.entry.arguments; // [{ name: "name", required: true }]
 */
export function definePromptDef(
  name: string,
  options: PromptOptions<z.ZodRawShape | undefined>,
  handler: PromptDef["handler"],
): PromptDef {
  checkName("prompt", name);
  checkCall("prompt", name, options, handler);
  const shape = options.args ?? {};
  const args = compileSchema(shape, `arguments of prompt "${name}"`);
  const argumentsList: PromptArgument[] = Object.entries(shape).map(([argName, schema]) => {
    const arg: PromptArgument = {
      name: argName,
      required: !z.safeParse(schema, undefined).success,
    };
    const description = (schema as z.ZodType).description;
    if (description !== undefined) arg.description = description;
    return arg;
  });
  for (const key of Object.keys(options.complete ?? {})) {
    if (!(key in shape))
      throw new Error(`@mcpforge/core: prompt "${name}" has no argument "${key}" to complete`);
  }
  const entry: Prompt = { ...common(name, options) };
  if (argumentsList.length > 0) entry.arguments = argumentsList;
  return {
    key: name,
    enabled: options.enabled ?? true,
    info: info("prompt", name, options),
    entry,
    args,
    complete: options.complete ?? {},
    handler,
  };
}

/** Prompt results in their wire form. */
