/**
 * An abort signal made on first use. Creating an `AbortController` costs more than the rest
 * of a trivial call's bookkeeping, and most handlers never look at their signal: this keeps
 * the "aborted" state as a flag and makes the controller only when `signal` is read (already
 * aborted, with the same reason, when the abort came first).
 *
 * @example
 * const abort = new LazyAbort();
 * abort.aborted; // false, and no AbortController exists yet
 * abort.abort("cancelled");
 * abort.signal.reason; // "cancelled"
 */
export class LazyAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  /** Whether {@link LazyAbort.abort} was called (reading it makes no signal). */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** The signal, made now if nobody asked for it before. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts (once); a signal made later starts aborted with the same reason. */
  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
