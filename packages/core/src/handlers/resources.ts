import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "../context/context.js";
import { McpForgeError } from "../errors/errors.js";
import type { Session } from "../protocol/session.js";
import type { ResourceDef, TemplateDef } from "../registry/define.js";
import type { ResourceContentInput, ResourceReturn } from "../registry/types.js";
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
 * await listResources(app, ctx);
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
 * await listTemplates(app, ctx);
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
 * const target = resolveResource(app, "users://42");
 */
export function resolveResource(app: AppInternals, uri: unknown): ResolvedResource | undefined {
  if (typeof uri !== "string") return undefined;
  const def = app.resources.getEnabled(uri);
  if (def) return { kind: "resource", def };
  if (uri.length > MAX_TEMPLATE_URI) return undefined;
  for (const t of app.templates.list()) {
    const vars = t.template.match(uri);
    if (vars) return { kind: "template", def: t, vars };
  }
  return undefined;
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
 * await readResource(app, ctx, resolveResource(app, uri));
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
 * await subscribe(app, ctx, session, true);
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
