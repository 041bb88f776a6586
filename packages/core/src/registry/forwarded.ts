/**
 * Forwarded components: a tool, resource, template or prompt whose requests another server
 * answers (a mounted app, a remote MCP server behind a proxy). The entry is served exactly as
 * given, and the request is handed to a forwarder with its raw params and the request's
 * channel to the client; core neither validates nor converts (the target does both).
 */
import type { Prompt, Resource, ResourceTemplate, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { ComponentInfo } from "../context/context.js";
import { UriTemplate } from "../resources/uri-template.js";
import type { PromptDef, ResourceDef, TemplateDef, ToolDef } from "./define.js";
import type { Forwarder } from "./types.js";

/** Server-side fields of a forwarded component (not sent to clients). */
export interface ForwardedOptions {
  /** Labels for middleware (auth, caching) and filtering. */
  tags?: Iterable<string>;
  /** Start disabled with `false`. */
  enabled?: boolean;
}

/** A forwarded component: its type and wire entry (served as given), plus server-side fields. */
export type ForwardedSpec = ForwardedOptions &
  (
    | { type: "tool"; entry: Tool }
    | { type: "resource"; entry: Resource }
    | { type: "template"; entry: ResourceTemplate }
    | { type: "prompt"; entry: Prompt }
  );

const NAME_RE = /^[A-Za-z0-9_.-]{1,128}$/;

function fail(message: string): never {
  throw new Error(`@mcpforge/core: forward(): ${message}`);
}

function checkName(kind: string, name: unknown): string {
  if (typeof name !== "string" || !NAME_RE.test(name)) {
    fail(
      `invalid ${kind} name ${JSON.stringify(name)}: use 1-128 characters from A-Z a-z 0-9 _ - .`,
    );
  }
  return name;
}

function infoOf(
  type: ComponentInfo["type"],
  name: string,
  key: string,
  entry: { annotations?: unknown; _meta?: Record<string, unknown> },
  options: ForwardedOptions,
): ComponentInfo {
  return {
    type,
    name,
    key,
    tags: new Set(options.tags ?? []),
    annotations: entry.annotations as Record<string, unknown> | undefined,
    meta: entry._meta,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const passThrough = { ok: true as const };

/**
 * Builds the registry definition of a forwarded component, checking its entry (names,
 * URIs, templates, an object input schema).
 *
 * @example
 * const def = defineForwardedDef(
 *   { type: "tool", entry: { name: "remote_add", inputSchema: { type: "object" } } },
 *   async (call) => ({ content: [{ type: "text", text: JSON.stringify(call.params.arguments) }] }),
 * );
 */
export function defineForwardedDef(
  spec: ForwardedSpec,
  forward: Forwarder,
): ToolDef | ResourceDef | TemplateDef | PromptDef {
  if (typeof forward !== "function") fail("needs a forwarder function");
  if (!isObject(spec) || !isObject(spec.entry)) fail("needs { type, entry }");
  const options: ForwardedOptions = spec;
  const enabled = spec.enabled ?? true;
  const notCalled = () => fail("a forwarded component has no local handler");
  switch (spec.type) {
    case "tool": {
      const entry = spec.entry;
      const name = checkName("tool", entry.name);
      if (!isObject(entry.inputSchema) || entry.inputSchema.type !== "object") {
        fail(`tool "${name}" needs an inputSchema with "type": "object"`);
      }
      const schema = entry.inputSchema as Record<string, unknown> & { type: "object" };
      return {
        key: name,
        enabled,
        info: infoOf("tool", name, name, entry, options),
        entry,
        input: { jsonSchema: schema, validate: (value) => ({ ...passThrough, value }) },
        output: undefined,
        handler: notCalled,
        forward,
      };
    }
    case "resource": {
      const entry = spec.entry;
      if (typeof entry.uri !== "string" || !URL.canParse(entry.uri)) {
        fail(`resource URI ${JSON.stringify(entry.uri)} is not a valid absolute URI`);
      }
      if (typeof entry.name !== "string") fail(`resource "${entry.uri}" needs a name`);
      return {
        key: entry.uri,
        enabled,
        info: infoOf("resource", entry.name, entry.uri, entry, options),
        entry,
        handler: notCalled,
        forward,
      };
    }
    case "template": {
      const entry = spec.entry;
      if (typeof entry.uriTemplate !== "string") fail("a resource template needs a uriTemplate");
      if (typeof entry.name !== "string") fail(`template "${entry.uriTemplate}" needs a name`);
      return {
        key: entry.uriTemplate,
        enabled,
        info: infoOf("template", entry.name, entry.uriTemplate, entry, options),
        entry,
        template: new UriTemplate(entry.uriTemplate),
        params: undefined,
        complete: {},
        // core's check of variable values (no `..`, no NUL, …) applies here too
        unsafeRaw: new Set<string>(),
        handler: notCalled,
        forward,
      };
    }
    case "prompt": {
      const entry = spec.entry;
      const name = checkName("prompt", entry.name);
      return {
        key: name,
        enabled,
        info: infoOf("prompt", name, name, entry, options),
        entry,
        args: { jsonSchema: { type: "object" }, validate: (value) => ({ ...passThrough, value }) },
        complete: {},
        handler: notCalled,
        forward,
      };
    }
    default:
      return fail(`unknown component type ${JSON.stringify((spec as { type?: unknown }).type)}`);
  }
}
