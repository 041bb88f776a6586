import type { ComponentHandle, McpForgeApp, ServerLogger } from "@mcpforge/core";
import type { ForwardedSpec, Forwarder } from "@mcpforge/core/authoring";

/** The component types a mirror keeps. */
export type MirrorType = ForwardedSpec["type"];

/** One component a mirror should serve: its forwarded spec and who answers it. */
export interface MirrorItem {
  readonly spec: ForwardedSpec;
  readonly forward: Forwarder;
}

/**
 * The registry key of a forwarded spec: the name of a tool or prompt, the URI of a
 * resource, the URI template of a template.
 *
 * @example
 * keyOf({ type: "resource", entry: { uri: "a://b", name: "b" } }); // "a://b"
 */
export function keyOf(spec: ForwardedSpec): string {
  switch (spec.type) {
    case "resource":
      return spec.entry.uri;
    case "template":
      return spec.entry.uriTemplate;
    default:
      return spec.entry.name;
  }
}

function fingerprint(spec: ForwardedSpec): string {
  return JSON.stringify([spec.entry, [...(spec.tags ?? [])]]);
}

interface Held {
  readonly handle: ComponentHandle;
  readonly fingerprint: string;
}

/**
 * A set of forwarded components kept in an app (a mounted child's, a remote server's): each
 * `sync()` adds what is new, replaces what changed and removes what is gone, so the app's
 * clients get list_changed notifications. Components of the app that the mirror does not
 * own are never touched: a clash is refused.
 *
 * @example
 * const mirror = new Mirror(app, logger, 'mount "weather"');
 * const entry = { name: "weather_forecast", inputSchema: { type: "object" as const } };
 * mirror.sync(["tool"], [{ spec: { type: "tool", entry }, forward: async () => ({ content: [] }) }], "throw");
 * mirror.keys("tool"); // ["weather_forecast"]
 */
export class Mirror {
  readonly #app: McpForgeApp;
  readonly #logger: ServerLogger;
  readonly #label: string;
  readonly #held = new Map<string, Held>();

  constructor(app: McpForgeApp, logger: ServerLogger, label: string) {
    this.#app = app;
    this.#logger = logger;
    this.#label = label;
  }

  /** Keys (`type key`) of the items that clash with components the mirror does not own. */
  collisions(items: readonly MirrorItem[]): string[] {
    const taken = new Map<MirrorType, Set<string>>();
    const out: string[] = [];
    const seen = new Set<string>();
    for (const { spec } of items) {
      let keys = taken.get(spec.type);
      if (!keys) {
        keys = new Set(this.#app.components(spec.type).map((c) => c.key));
        taken.set(spec.type, keys);
      }
      const id = `${spec.type} ${keyOf(spec)}`;
      if ((keys.has(keyOf(spec)) && !this.#held.has(id)) || seen.has(id)) out.push(id);
      seen.add(id);
    }
    return out;
  }

  /**
   * Makes the mirrored components of `types` equal to `items`. A clash with a component the
   * mirror does not own throws (`onClash: "throw"`, nothing changed) or is logged and skipped.
   */
  sync(types: readonly MirrorType[], items: readonly MirrorItem[], onClash: "throw" | "log"): void {
    const clashes = this.collisions(items);
    if (clashes.length > 0 && onClash === "throw") {
      throw new Error(`${this.#label}: name collision: ${clashes.join(", ")} already registered`);
    }
    const skip = new Set(clashes);
    const wanted = new Map<string, MirrorItem>();
    for (const item of items) {
      const id = `${item.spec.type} ${keyOf(item.spec)}`;
      if (!skip.has(id)) wanted.set(id, item);
    }
    for (const [id, held] of this.#held) {
      const type = id.slice(0, id.indexOf(" ")) as MirrorType;
      if (!types.includes(type)) continue;
      const next = wanted.get(id);
      if (next && fingerprint(next.spec) === held.fingerprint) continue;
      held.handle.remove();
      this.#held.delete(id);
    }
    for (const [id, item] of wanted) {
      if (this.#held.has(id)) continue;
      try {
        const handle = this.#app.forward(item.spec, item.forward);
        this.#held.set(id, { handle, fingerprint: fingerprint(item.spec) });
      } catch (err) {
        if (onClash === "throw") throw err;
        this.#logger.warn(`${this.#label}: skipped ${id}`, { error: (err as Error).message });
      }
    }
    for (const id of clashes) {
      this.#logger.warn(`${this.#label}: skipped ${id}: the name is already registered`);
    }
  }

  /** The mirrored keys of one type. */
  keys(type: MirrorType): string[] {
    const prefix = `${type} `;
    return [...this.#held.keys()]
      .filter((id) => id.startsWith(prefix))
      .map((id) => id.slice(prefix.length));
  }

  /** Removes every mirrored component. */
  clear(): void {
    for (const held of this.#held.values()) held.handle.remove();
    this.#held.clear();
  }
}
