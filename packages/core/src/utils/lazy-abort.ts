/** What `AbortController.abort()` gives a signal when no reason is passed. */
function defaultReason(): DOMException {
  return new DOMException("This operation was aborted", "AbortError");
}

/**
 * An abort signal made on first use. Creating an `AbortController` costs more than the rest
 * of a trivial call's bookkeeping, and most handlers never look at their signal: this keeps
 * the "aborted" state as a flag and makes the controller only when `signal` is read (already
 * aborted, with the same reason, when the abort came first). {@link LazyAbort.onAbort} listens
 * without making one.
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
  #listeners: ((reason: unknown) => void)[] | undefined;

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

  /**
   * Calls `listener` with the reason when this aborts (at once if it already has), without
   * making a signal; returns the function that stops listening.
   *
   * @example
   * const abort = new LazyAbort();
   * const stop = abort.onAbort((reason) => console.log("aborted:", reason));
   * abort.abort("cancelled"); // logs "aborted: cancelled"
   * stop(); // (a no-op now)
   */
  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.#aborted) {
      listener(this.#reason);
      return () => {};
    }
    this.#listeners ??= [];
    const listeners = this.#listeners;
    listeners.push(listener);
    return () => {
      const i = listeners.indexOf(listener);
      if (i >= 0) listeners.splice(i, 1);
    };
  }

  /** Aborts (once); a signal made later starts aborted with the same reason. */
  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason === undefined ? defaultReason() : reason;
    this.#controller?.abort(this.#reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener(this.#reason);
  }
}
