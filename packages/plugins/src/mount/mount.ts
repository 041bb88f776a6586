import type { ListKind, McpForgeApp } from "@mcpforge/core";
import type { ComponentEntry, ForwardedCall } from "@mcpforge/core/authoring";
import type { Prompt, Resource, ResourceTemplate, Tool } from "@mcpforge/core/client";
import { Mirror, type MirrorItem, type MirrorType } from "../internal/mirror.js";
import { checkOptionsObject, optionsError } from "../internal/options.js";
import {
  checkToolTransforms,
  type ToolTransforms,
  transformTool,
} from "../transforms/transforms.js";
import { prefixUri, unprefixUri } from "./uris.js";

/** Options of {@link mount}. */
export interface MountOptions {
  /** Child tools and prompts appear as `${namespace}_${name}`. */
  namespace: string;
  /** When set, child resource URIs become `scheme://prefix/…` (kept as they are otherwise). */
  resourcePrefix?: string;
  /** Filter, rename, re-describe child tools, or hide arguments with fixed values. */
  tools?: ToolTransforms;
}

/** A mounted child app. */
export interface MountHandle {
  readonly namespace: string;
  readonly child: McpForgeApp;
  /** The parent's names of the mirrored components, by type. */
  names(type: MirrorType): string[];
  /** Removes the child's components from the parent and closes the child (once no mount uses it). */
  unmount(): Promise<void>;
}

const NAMESPACE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** How many active mounts use each child (it is closed when the last one goes). */
const mountsOf = new WeakMap<McpForgeApp, number>();

const TYPES_OF_KIND: Record<ListKind, MirrorType[]> = {
  tools: ["tool"],
  prompts: ["prompt"],
  resources: ["resource", "template"],
};

type Params = Record<string, unknown>;

function withRef(call: ForwardedCall, ref: Params): Params {
  return { ...call.params, ref: { ...(call.params.ref as Params), ...ref } };
}

/** The mirror items for one type of the child's components. */
function itemsOf(child: McpForgeApp, type: MirrorType, o: MountOptions): MirrorItem[] {
  const enabled = child.components(type).filter((c) => c.enabled);
  const ns = o.namespace;
  const prefix = o.resourcePrefix;
  const dispatch = (call: ForwardedCall, params: Params) =>
    child.dispatchFor(call, { method: call.method, params });
  return enabled.flatMap((c: ComponentEntry): MirrorItem[] => {
    if (type === "tool") {
      const t = transformTool(c.entry as Tool, c.info.tags, o.tools);
      if (!t) return [];
      return [
        {
          spec: { type, entry: { ...t.entry, name: `${ns}_${t.entry.name}` }, tags: t.tags },
          forward: (call) =>
            dispatch(call, {
              ...call.params,
              name: c.key,
              arguments: t.mapArgs(call.params.arguments),
            }),
        },
      ];
    }
    if (type === "prompt") {
      return [
        {
          spec: {
            type,
            entry: { ...(c.entry as Prompt), name: `${ns}_${c.key}` },
            tags: c.info.tags,
          },
          forward: (call) =>
            dispatch(
              call,
              call.method === "prompts/get"
                ? { ...call.params, name: c.key }
                : withRef(call, { name: c.key }),
            ),
        },
      ];
    }
    if (type === "resource") {
      const uri = prefix ? prefixUri(c.key, prefix) : c.key;
      return [
        {
          spec: { type, entry: { ...(c.entry as Resource), uri }, tags: c.info.tags },
          forward: (call) =>
            dispatch(
              call,
              call.method === "completion/complete"
                ? withRef(call, { uri: c.key })
                : { ...call.params, uri: c.key },
            ),
        },
      ];
    }
    const uriTemplate = prefix ? prefixUri(c.key, prefix) : c.key;
    return [
      {
        spec: { type, entry: { ...(c.entry as ResourceTemplate), uriTemplate }, tags: c.info.tags },
        forward: (call) => {
          if (call.method === "completion/complete")
            return dispatch(call, withRef(call, { uri: c.key }));
          const uri = String(call.params.uri);
          return dispatch(call, {
            ...call.params,
            uri: prefix ? (unprefixUri(uri, prefix) ?? uri) : uri,
          });
        },
      },
    ];
  });
}

/**
 * Mounts a child app into a parent: a live mirror of the child's tools, resources,
 * templates and prompts. Child tools and prompts appear as `${namespace}_${name}`; resource
 * URIs stay as they are unless `resourcePrefix` is set. Calls run through the parent's
 * middleware, then the child's own middleware and handler, in the caller's session (progress,
 * logs, sampling reach the caller). Later registrations and removals in the child reach the
 * parent's clients as list_changed. A name collision is an error at mount time (later ones are
 * logged and skipped). The child starts with the parent and closes with it (or on unmount).
 *
 * @example
 * const weather = createServer({ name: "weather", version: "1.0.0" });
 * weather.tool("forecast", { input: { city: z.string() } }, ({ city }) => `Sunny in ${city}`);
 * mount(app, weather, { namespace: "weather" }); // the tool "weather_forecast"
 */
export function mount(parent: McpForgeApp, child: McpForgeApp, options: MountOptions): MountHandle {
  const f = "mount";
  const o = checkOptionsObject(f, options);
  if (parent === child) throw optionsError(f, "cannot mount an app into itself");
  if (typeof o.namespace !== "string" || !NAMESPACE_RE.test(o.namespace)) {
    throw optionsError(
      f,
      `namespace must be 1-64 characters from A-Z a-z 0-9 _ . -, got ${JSON.stringify(o.namespace)}`,
    );
  }
  if (
    o.resourcePrefix !== undefined &&
    (typeof o.resourcePrefix !== "string" || !NAMESPACE_RE.test(o.resourcePrefix))
  ) {
    throw optionsError(
      f,
      `resourcePrefix must be 1-64 characters from A-Z a-z 0-9 _ . -, got ${JSON.stringify(o.resourcePrefix)}`,
    );
  }
  checkToolTransforms(f, o.tools);
  const logger = parent.logger;
  const mirror = new Mirror(
    parent,
    logger,
    `@mcpforge/plugins: mount(): namespace "${o.namespace}"`,
  );
  const allTypes: MirrorType[] = ["tool", "resource", "template", "prompt"];
  mirror.sync(
    allTypes,
    allTypes.flatMap((t) => itemsOf(child, t, o)),
    "throw",
  );

  let active = true;
  const pending = new Set<MirrorType>();
  const stopWatching = child.onListChanged((kind) => {
    if (pending.size === 0) {
      queueMicrotask(() => {
        const types = [...pending];
        pending.clear();
        if (!active) return;
        mirror.sync(
          types,
          types.flatMap((t) => itemsOf(child, t, o)),
          "log",
        );
      });
    }
    for (const t of TYPES_OF_KIND[kind]) pending.add(t);
  });

  // the child's resources/updated reach the parent's subscribed clients (under the prefix)
  const prefix = o.resourcePrefix;
  const stopUpdates = child.onResourceUpdated((uri) => {
    if (active) parent.notifyResourceUpdated(prefix ? prefixUri(uri, prefix) : uri);
  });

  mountsOf.set(child, (mountsOf.get(child) ?? 0) + 1);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    const left = (mountsOf.get(child) ?? 1) - 1;
    mountsOf.set(child, left);
    if (left === 0) await child.close();
  };
  const startChild = () =>
    child.start().catch((err: unknown) => {
      logger.error(
        `@mcpforge/plugins: mount(): namespace "${o.namespace}": the child failed to start`,
        {
          error: (err as Error).message,
        },
      );
      throw err;
    });
  parent.onStart(() => (active ? startChild() : undefined));
  parent.onClose(() => (active ? release() : undefined));
  if (parent.started) void startChild().catch(() => {});

  return {
    namespace: o.namespace,
    child,
    names: (type) => mirror.keys(type),
    unmount: async () => {
      if (!active) return;
      active = false;
      stopWatching();
      stopUpdates();
      mirror.clear();
      await release();
    },
  };
}
