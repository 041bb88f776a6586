import type { ComponentHandle, Registered } from "./types.js";

/**
 * An ordered registry of components with a cached list of the enabled ones; every change
 * calls `onChange` so clients get a list_changed notification.
 *
 * @example
 * import { defineToolDef, type ToolDef } from "./define.js";
 * const tools = new Registry<ToolDef>("tool", () => console.error("tools changed: list_changed"));
 * tools.add(defineToolDef("ping", {}, () => "pong")); // tools changed
 * tools.handle("ping").disable(); // tools changed; tools.list() is empty
 */
export class Registry<T extends Registered> {
  readonly #items = new Map<string, T>();
  readonly #what: string;
  readonly #onChange: () => void;
  #enabled: T[] | undefined;

  /** How many components are registered (enabled or not). */
  get size(): number {
    return this.#items.size;
  }

  constructor(what: string, onChange: () => void) {
    this.#what = what;
    this.#onChange = onChange;
  }

  #changed(): void {
    this.#enabled = undefined;
    this.#onChange();
  }

  add(item: T): void {
    if (this.#items.has(item.key)) {
      throw new Error(`@mcpforge/core: a ${this.#what} named "${item.key}" is already registered`);
    }
    this.#items.set(item.key, item);
    this.#changed();
  }

  remove(key: string): boolean {
    const had = this.#items.delete(key);
    if (had) this.#changed();
    return had;
  }

  /** The component with this key, enabled or not. */
  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  /** The component with this key when it is enabled. */
  getEnabled(key: string): T | undefined {
    const item = this.#items.get(key);
    return item?.enabled ? item : undefined;
  }

  setEnabled(key: string, enabled: boolean): void {
    const item = this.#items.get(key);
    if (!item) throw new Error(`@mcpforge/core: no ${this.#what} named "${key}"`);
    if (item.enabled === enabled) return;
    item.enabled = enabled;
    this.#changed();
  }

  /** The enabled components, in registration order (cached between changes). */
  list(): readonly T[] {
    this.#enabled ??= [...this.#items.values()].filter((i) => i.enabled);
    return this.#enabled;
  }

  /** Every component, enabled or not. */
  all(): IterableIterator<T> {
    return this.#items.values();
  }

  /** A handle to enable, disable or remove one component. */
  handle(key: string): ComponentHandle {
    const isEnabled = () => this.get(key)?.enabled ?? false;
    return {
      name: key,
      get enabled() {
        return isEnabled();
      },
      enable: () => this.setEnabled(key, true),
      disable: () => this.setEnabled(key, false),
      remove: () => this.remove(key),
    };
  }
}
