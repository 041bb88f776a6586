/** The state of a {@link CircuitBreaker}. */
export type CircuitState = "closed" | "open" | "half-open";

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures (errors or timeouts) that open the circuit (default 3). */
  threshold?: number;
  /** How long the circuit stays open before one probe may go through (default 1000 ms). */
  cooldownMs?: number;
  /** Called on each transition (open, half-open, closed), once per transition. */
  onTransition?(state: CircuitState, previous: CircuitState): void;
  /** The clock (default `Date.now`). */
  now?(): number;
}

/** The counters of a {@link CircuitBreaker}. */
export interface CircuitStats {
  state: CircuitState;
  /** Times the circuit opened from closed (re-opening after a failed probe is not counted). */
  opens: number;
  /** Times it closed again after a successful probe. */
  closes: number;
  /** Calls refused at once because the circuit was open (or a probe was in flight). */
  rejected: number;
}

/** Thrown (at once, without touching the dependency) while the circuit is open. */
export class CircuitOpenError extends Error {
  override readonly name = "CircuitOpenError";
}

/**
 * A circuit breaker: after `threshold` consecutive failures the circuit opens and calls are
 * refused immediately; after `cooldownMs` one probe goes through — success closes the circuit,
 * failure opens it for another cool-down. Callers bypass a dependency that is down (or frozen)
 * instead of each paying its timeout.
 *
 * @example
 * import { CircuitBreaker, CircuitOpenError } from "@mcpforge/core/redis";
 * const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 1000 });
 * const fetchQuote = () => fetch("http://127.0.0.1:9/quote").then((r) => r.text());
 * try {
 *   console.log(await breaker.run(fetchQuote));
 * } catch (err) {
 *   if (err instanceof CircuitOpenError) console.error("quote service down: skipped");
 * }
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #onTransition: CircuitBreakerOptions["onTransition"];
  readonly #now: () => number;
  #state: CircuitState = "closed";
  #failures = 0;
  #openUntil = 0;
  #probing = false;
  readonly #stats = { opens: 0, closes: 0, rejected: 0 };

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.threshold ?? 3;
    this.#cooldownMs = options.cooldownMs ?? 1000;
    this.#onTransition = options.onTransition;
    this.#now = options.now ?? Date.now;
  }

  /** The current state. */
  get state(): CircuitState {
    if (this.#state === "open" && this.#now() >= this.#openUntil) return "half-open";
    return this.#state;
  }

  /** Counters and the current state. */
  stats(): CircuitStats {
    return { state: this.state, ...this.#stats };
  }

  /**
   * Runs `fn` unless the circuit is open (then throws {@link CircuitOpenError} at once). While
   * half-open, only one call (the probe) goes through.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const probe = this.#admit();
    try {
      const value = await fn();
      this.success();
      return value;
    } catch (err) {
      this.failure();
      throw err;
    } finally {
      if (probe) this.#probing = false;
    }
  }

  /** Lets the next call through as a probe now (e.g. when the dependency reconnected). */
  halfOpen(): void {
    if (this.#state === "open") this.#openUntil = this.#now();
  }

  /** Records a success outside `run()`: closes the circuit. */
  success(): void {
    this.#failures = 0;
    if (this.#state !== "closed") {
      this.#stats.closes++;
      this.#move("closed");
    }
  }

  /** Records a failure outside `run()`: may open the circuit. */
  failure(): void {
    this.#failures++;
    if (
      this.#state === "half-open" ||
      (this.#state === "closed" && this.#failures >= this.#threshold)
    ) {
      this.#open();
    }
  }

  /** Whether this call may go through; true when it is the half-open probe. */
  #admit(): boolean {
    if (this.#state === "closed") return false;
    if (this.#state === "open") {
      if (this.#now() < this.#openUntil) return this.#reject();
      this.#move("half-open");
    }
    if (this.#probing) return this.#reject();
    this.#probing = true;
    return true;
  }

  #reject(): never {
    this.#stats.rejected++;
    throw new CircuitOpenError("circuit open: the dependency is failing; not calling it");
  }

  #open(): void {
    this.#openUntil = this.#now() + this.#cooldownMs;
    if (this.#state === "closed") this.#stats.opens++;
    this.#move("open");
  }

  #move(state: CircuitState): void {
    const previous = this.#state;
    this.#state = state;
    if (previous !== state) this.#onTransition?.(state, previous);
  }
}
