/** Options of the rejection rule (`health({ rejections })`). */
export interface RejectionRule {
  /** Unready while the share of rejected requests in the window exceeds this (0-1). */
  maxRatio: number;
  /** The sliding window, in ms (default 60 000). */
  windowMs?: number;
  /** No verdict below this many requests in the window (default 20). */
  minRequests?: number;
}

const SLOTS = 20;

/**
 * Counts requests and rejections (HTTP 429/503, JSON-RPC rate-limited/unavailable) over a
 * sliding window of 20 slots: the server is unready while the rejected share exceeds the
 * rule's ratio — an overloaded instance leaves the load balancer until it recovers.
 *
 * @example
 * const window = new RejectionWindow({ maxRatio: 0.5, windowMs: 60_000, minRequests: 20 });
 * window.record(true);
 * window.state(); // { total: 1, rejected: 1, ratio: 1, exceeded: false } (below minRequests)
 */
export class RejectionWindow {
  readonly maxRatio: number;
  readonly minRequests: number;
  readonly #slotMs: number;
  readonly #total = new Array<number>(SLOTS).fill(0);
  readonly #rejected = new Array<number>(SLOTS).fill(0);
  #slot = 0;
  #slotStart = 0;

  constructor(rule: RejectionRule) {
    this.maxRatio = rule.maxRatio;
    this.minRequests = rule.minRequests ?? 20;
    this.#slotMs = (rule.windowMs ?? 60_000) / SLOTS;
  }

  #advance(now: number): void {
    if (this.#slotStart === 0) this.#slotStart = now;
    const steps = Math.floor((now - this.#slotStart) / this.#slotMs);
    if (steps <= 0) return;
    for (let i = 0; i < Math.min(steps, SLOTS); i++) {
      this.#slot = (this.#slot + 1) % SLOTS;
      this.#total[this.#slot] = 0;
      this.#rejected[this.#slot] = 0;
    }
    this.#slotStart += steps * this.#slotMs;
  }

  /** Counts one request, rejected or not. */
  record(rejected: boolean, now = Date.now()): void {
    this.#advance(now);
    this.#total[this.#slot] = (this.#total[this.#slot] ?? 0) + 1;
    if (rejected) this.#rejected[this.#slot] = (this.#rejected[this.#slot] ?? 0) + 1;
  }

  /** The counts in the window and whether the rule is exceeded. */
  state(now = Date.now()): { total: number; rejected: number; ratio: number; exceeded: boolean } {
    this.#advance(now);
    const total = this.#total.reduce((a, b) => a + b, 0);
    const rejected = this.#rejected.reduce((a, b) => a + b, 0);
    const ratio = total === 0 ? 0 : rejected / total;
    return { total, rejected, ratio, exceeded: total >= this.minRequests && ratio > this.maxRatio };
  }
}
