import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "../context/context.js";
import { McpForgeError } from "../errors/errors.js";
import type { Session } from "../protocol/session.js";
import type { ResourceDef, TemplateDef } from "../registry/define.js";
import type { ResourceContentInput, ResourceReturn } from "../registry/types.js";
import { unsafeVariable } from "../resources/variable-safety.js";
import { formatIssues } from "../schema/schema.js";
import { type AppInternals, requireString } from "./internals.js";
import { paginate } from "./pagination.js";

type Contents = ReadResourceResult["contents"];

/** URIs longer than this are never matched against templates (bounds regex work). */
const MAX_TEMPLATE_URI = 2048;

/** The resource a URI resolves to: a static resource, or a template with its variables. */
export type ResolvedResource =
  | { kind: "resource"; def: ResourceDef }
  | { kind: "template"; def: TemplateDef; vars: Record<string, string | string[]> };

/**
 * Answers `resources/list`.
 *
 * @example
 * import { defineResourceDef } from "../registry/define.js";
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
 * internals.resources.add(defineResourceDef("config://app", { mimeType: "application/json" }, () => "{}"));
 * await listResources(internals, ctx);
 * // { resources: [{ name: "config://app", uri: "config://app", mimeType: "application/json" }] }
 */
export async function listResources(app: AppInternals, ctx: Context) {
  const page = paginate(app.resources.list(), ctx.params.cursor, app.pageSize);
  const result: { resources: unknown[]; nextCursor?: string } = {
    resources: page.items.map((r) => r.entry),
  };
  if (page.nextCursor) result.nextCursor = page.nextCursor;
  return result;
}

/**
 * Answers `resources/templates/list`.
 *
 * @example
 * import { defineTemplateDef } from "../registry/define.js";
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
 * const user = (vars: unknown) => `user ${(vars as { id: string }).id}`; // app.resource() types it
 * internals.templates.add(defineTemplateDef("users://{id}", {}, user));
 * await listTemplates(internals, ctx); // { resourceTemplates: [{ name: "users://{id}", uriTemplate: "users://{id}" }] }
 */
export async function listTemplates(app: AppInternals, ctx: Context) {
  const page = paginate(app.templates.list(), ctx.params.cursor, app.pageSize);
  const result: { resourceTemplates: unknown[]; nextCursor?: string } = {
    resourceTemplates: page.items.map((t) => t.entry),
  };
  if (page.nextCursor) result.nextCursor = page.nextCursor;
  return result;
}

/**
 * Resolves a URI to a static resource or the first matching template.
 *
 * @example
 * import { defineTemplateDef } from "../registry/define.js";
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
 * const user = (vars: unknown) => `user ${(vars as { id: string }).id}`;
 * internals.templates.add(defineTemplateDef("users://{id}", {}, user));
 * resolveResource(internals, "users://42"); // { kind: "template", def: …, vars: { id: "42" } }
 * resolveResource(internals, "orders://42"); // undefined
 */
export function resolveResource(app: AppInternals, uri: unknown): ResolvedResource | undefined {
  if (typeof uri !== "string") return undefined;
  const def = app.resources.getEnabled(uri);
  if (def) return { kind: "resource", def };
  if (uri.length > MAX_TEMPLATE_URI) return undefined;
  for (const t of app.templates.list()) {
    const vars = t.template.match(uri);
    if (vars && safeVariables(t, vars)) return { kind: "template", def: t, vars };
  }
  return undefined;
}

/** Whether every variable of a match may reach the handler (see `unsafeVariable`). */
function safeVariables(def: TemplateDef, vars: Record<string, string | string[]>): boolean {
  for (const [name, value] of Object.entries(vars)) {
    if (def.unsafeRaw.has(name)) continue;
    const slash = def.template.allowsSlash(name);
    const values = typeof value === "string" ? [value] : value;
    for (const v of values) if (unsafeVariable(v, slash) !== undefined) return false;
  }
  return true;
}

function notFound(uri: string): McpForgeError {
  return new McpForgeError("resource_not_found", `Resource not found: ${uri}`, { data: { uri } });
}

function toBase64(data: string | Uint8Array): string {
  return typeof data === "string" ? data : Buffer.from(data).toString("base64");
}

function one(item: unknown, uri: string, mimeType: string | undefined): Contents[number] {
  if (typeof item === "string") return { uri, mimeType: mimeType ?? "text/plain", text: item };
  if (item instanceof Uint8Array) {
    return { uri, mimeType: mimeType ?? "application/octet-stream", blob: toBase64(item) };
  }
  if (typeof item === "object" && item !== null && ("text" in item || "blob" in item)) {
    const c = item as Exclude<ResourceContentInput, string | Uint8Array>;
    const base: { uri: string; mimeType?: string; _meta?: Record<string, unknown> } = {
      uri: c.uri ?? uri,
    };
    const mime = c.mimeType ?? mimeType;
    if (mime !== undefined) base.mimeType = mime;
    if (c._meta !== undefined) base._meta = c._meta;
    if ("text" in c) return { ...base, text: String(c.text) };
    return { ...base, blob: toBase64(c.blob) };
  }
  return { uri, mimeType: mimeType ?? "application/json", text: JSON.stringify(item) };
}

/**
 * Converts what a resource handler returned into `contents`.
 *
 * @example
 * toContents("hello", "memo://1", "text/plain");
 */
export function toContents(value: ResourceReturn, uri: string, mimeType?: string): Contents {
  if (Array.isArray(value)) return value.map((v) => one(v, uri, mimeType));
  return [one(value, uri, mimeType)];
}

/**
 * Answers `resources/read`; an unknown URI is -32002.
 *
 * @example
 * import { defineTemplateDef } from "../registry/define.js";
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
 * const user = (vars: unknown) => `user ${(vars as { id: string }).id}`;
 * internals.templates.add(defineTemplateDef("users://{id}", {}, user));
 * // ctx: a resources/read request with params { uri: "users://42" }
 * await readResource(ctx, resolveResource(internals, ctx.params.uri));
 * // { contents: [{ uri: "users://42", mimeType: "text/plain", text: "user 42" }] }
 */
export async function readResource(
  ctx: Context,
  target: ResolvedResource | undefined,
): Promise<ReadResourceResult> {
  const uri = requireString(ctx, "uri");
  if (!target) throw notFound(uri);
  if (target.kind === "resource") {
    const value = await target.def.handler(ctx, uri);
    return { contents: toContents(value, uri, target.def.entry.mimeType) };
  }
  let params: unknown = target.vars;
  if (target.def.params) {
    const checked = target.def.params.validate(target.vars);
    if (!checked.ok) {
      throw new McpForgeError(
        "invalid_params",
        `Invalid URI for resource template "${target.def.key}": ${formatIssues(checked.issues)}`,
      );
    }
    params = checked.value;
  }
  const value = await target.def.handler(params, ctx, uri);
  return { contents: toContents(value, uri, target.def.entry.mimeType) };
}

/**
 * Answers `resources/subscribe` / `resources/unsubscribe` for the session.
 *
 * @example
 * import { Session } from "../protocol/session.js";
 * import { defineResourceDef } from "../registry/define.js";
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
 * internals.resources.add(defineResourceDef("config://app", {}, () => "{}"));
 * const session = new Session("s1", undefined, "http");
 * // ctx: a resources/subscribe request with params { uri: "config://app" }
 * await subscribe(internals, ctx, session, true); // {}
 * session.isSubscribed("config://app"); // true
 */
export async function subscribe(
  app: AppInternals,
  ctx: Context,
  session: Session,
  on: boolean,
): Promise<Record<string, never>> {
  const uri = requireString(ctx, "uri");
  if (on) {
    if (!resolveResource(app, uri)) throw notFound(uri);
    session.subscriptions.add(uri);
  } else {
    session.subscriptions.delete(uri);
  }
  return {};
}
