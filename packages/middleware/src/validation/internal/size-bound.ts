/**
 * A value met while walking the arguments, with where it sits.
 *
 * @example
 * const root: Node = { value: { q: "x" }, parent: undefined, key: undefined, depth: 0 };
 */
export interface Node {
  value: unknown;
  parent: Node | undefined;
  key: string | number | undefined;
  depth: number;
}

/** The most UTF-8 bytes of JSON a number can take (`-1.7976931348623157e+308` is 24). */
const NUMBER_BYTES = 25;

/**
 * An upper bound of the size of `JSON.stringify(args)` in UTF-8 bytes, summed node by node
 * while the arguments are walked, and the exact size when the bound cannot vouch for the limit:
 * a string is at most 6 bytes per UTF-16 unit (`\u001f`, a lone surrogate's `\udXXX`) plus its
 * quotes, a number 25 bytes, any other primitive 5; an object or array adds its brackets and,
 * per member, its key, colon and comma. A value JSON.stringify would not serialize as walked —
 * a `toJSON()` (a Date), an object of another prototype (a boxed number), a BigInt (which
 * throws) — has the exact size measured at once, as does every value once the bound passes
 * the limit (a cycle always does). Its first violation still wins over the walk's: the walk
 * asks for the exact size before reporting anything else.
 *
 * @example
 * const size = new SizeBound({ q: "x" }, 100);
 * size.add({ value: { q: "x" }, parent: undefined, key: undefined, depth: 0 }); // false
 */
export class SizeBound {
  readonly #args: unknown;
  readonly #limit: number | undefined;
  #bytes = 0;
  /** Whether the size is known (exactly, or within the limit): nothing more to add. */
  #settled: boolean;
  #problem: string | undefined;

  constructor(args: unknown, limit: number | undefined) {
    this.#args = args;
    this.#limit = limit;
    this.#settled = limit === undefined;
  }

  /** Adds a node's share; true when the arguments are over the limit (see exactProblem()). */
  add(node: Node): boolean {
    if (this.#settled) return false;
    const { value, key } = node;
    let bytes = typeof key === "string" ? 4 + 6 * key.length : 1;
    switch (typeof value) {
      case "string":
        bytes += 2 + 6 * value.length;
        break;
      case "number":
        bytes += NUMBER_BYTES;
        break;
      case "object":
        if (value === null) bytes += 4;
        else if (walkedAsIs(value)) bytes += 2;
        else return this.exactProblem() !== undefined;
        break;
      case "bigint":
        return this.exactProblem() !== undefined;
      default:
        bytes += 5;
    }
    this.#bytes += bytes;
    return this.#bytes > (this.#limit as number) && this.exactProblem() !== undefined;
  }

  /**
   * The size violation if there is one, else `problem`: a walk's finding is reported only
   * once the size is known to be within the limit.
   */
  orElse(problem: string): string {
    return this.exactProblem() ?? problem;
  }

  /** The size violation, measured exactly (once) unless the bound already vouched for it. */
  exactProblem(): string | undefined {
    if (this.#settled) return this.#problem;
    this.#settled = true;
    const limit = this.#limit as number;
    const json = JSON.stringify(this.#args) ?? "";
    // A UTF-16 unit is at most 3 bytes of UTF-8: short JSON needs no exact count.
    const bytes = json.length * 3 <= limit ? 0 : Buffer.byteLength(json);
    if (bytes > limit) {
      this.#problem = `the arguments are ${bytes} bytes of JSON, over the limit of ${limit}`;
    }
    return this.#problem;
  }
}

/** Whether JSON.stringify writes `value` as the walk sees it: a plain object or an array. */
function walkedAsIs(value: object): boolean {
  if (Array.isArray(value)) return true;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
