import { OTHER } from "./names.js";

/**
 * A label value with bounded cardinality: the first `max` distinct values are kept, any
 * later one becomes `_OTHER`.
 *
 * @example
 * const tools = new BoundedLabel(2);
 * tools.of("a"); tools.of("b"); tools.of("c"); // "a", "b", "_OTHER"
 */
export class BoundedLabel {
  readonly #seen = new Set<string>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  of(value: string): string {
    if (this.#seen.has(value)) return value;
    if (this.#seen.size >= this.#max) return OTHER;
    this.#seen.add(value);
    return value;
  }
}
