/**
 * Extension capability entries (SEP-2133): `capabilities.extensions[id]` in the initialize
 * result, one settings object per extension identifier `{vendor-prefix}/{extension-name}`.
 */
import type { ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";

/** A registration that can be undone: a capability entry or a custom method. */
export interface Registration {
  /** The extension identifier or method name. */
  readonly name: string;
  /** Undoes the registration; false when it was already undone. */
  remove(): boolean;
}

/** `{vendor-prefix}/{extension-name}`: a reversed domain (two labels or more), a slash, a name. */
const EXTENSION_ID_RE =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function fail(message: string): never {
  throw new Error(`@mcpforge/core: extension(): ${message}`);
}

/**
 * Checks an extension identifier and its settings (a JSON object), returning a copy of them.
 *
 * @example
 * checkExtension("com.example/audit", { level: 1 }); // { level: 1 }
 */
export function checkExtension(id: string, settings: unknown): Record<string, unknown> {
  if (typeof id !== "string" || !EXTENSION_ID_RE.test(id)) {
    fail(
      `${JSON.stringify(id)} is not an extension identifier: use {vendor-prefix}/{extension-name} with a reversed domain you own, e.g. "com.example/my-extension"`,
    );
  }
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) {
    fail(`the settings of "${id}" must be a JSON object (use {} for none)`);
  }
  try {
    return JSON.parse(JSON.stringify(settings)) as Record<string, unknown>;
  } catch (err) {
    return fail(`the settings of "${id}" are not JSON: ${(err as Error).message}`);
  }
}

/**
 * The extension entries of one app and the capabilities object they produce.
 *
 * @example
 * const entries = new ExtensionEntries();
 * entries.add("com.example/audit", {});
 * entries.capabilities({ tools: {} }); // { tools: {}, extensions: { "com.example/audit": {} } }
 */
export class ExtensionEntries {
  readonly #entries = new Map<string, Record<string, unknown>>();
  #capabilities: ServerCapabilities | undefined;
  #base: ServerCapabilities | undefined;

  /** Adds an entry; a second entry with the same identifier is refused. */
  add(id: string, settings: unknown = {}): Registration {
    const copy = checkExtension(id, settings);
    if (this.#entries.has(id)) fail(`"${id}" is already declared`);
    this.#entries.set(id, copy);
    this.#capabilities = undefined;
    let removed = false;
    return {
      name: id,
      remove: () => {
        if (removed) return false;
        removed = true;
        this.#entries.delete(id);
        this.#capabilities = undefined;
        return true;
      },
    };
  }

  /** The declared identifiers, in order. */
  ids(): string[] {
    return [...this.#entries.keys()];
  }

  /** `base` plus `extensions` when any is declared (the same object until an entry changes). */
  capabilities(base: ServerCapabilities): ServerCapabilities {
    if (this.#entries.size === 0) return base;
    if (this.#capabilities && this.#base === base) return this.#capabilities;
    this.#base = base;
    this.#capabilities = { ...base, extensions: Object.fromEntries(this.#entries) };
    return this.#capabilities;
  }
}
