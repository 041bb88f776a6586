import type { LazyAbort } from "../utils/lazy-abort.js";

/**
 * What every transport's per-request {@link RequestExtra} shares: its abort, made into an
 * `AbortSignal` only when `signal` is read (most handlers never read it), and `onAbort()`,
 * which listens without making one. A class, not an object literal with `get signal()`: an
 * accessor in an object literal gives every request's object a shape of its own, which costs
 * the engine per request; a prototype getter costs nothing.
 *
 * @example
 * import { LazyAbort } from "../utils/lazy-abort.js";
 * class Extra extends AbortableExtra {}
 * const abort = new LazyAbort();
 * const extra = new Extra(abort);
 * extra.onAbort((reason) => console.log("aborted:", reason));
 * abort.abort("cancelled"); // logs "aborted: cancelled"; extra.signal.aborted is true
 */
export class AbortableExtra {
  /** The request's abort. */
  protected readonly lazyAbort: LazyAbort;

  constructor(abort: LazyAbort) {
    this.lazyAbort = abort;
  }

  get signal(): AbortSignal {
    return this.lazyAbort.signal;
  }

  /** Listens for the abort without making the signal. */
  onAbort(listener: (reason: unknown) => void): () => void {
    return this.lazyAbort.onAbort(listener);
  }
}
