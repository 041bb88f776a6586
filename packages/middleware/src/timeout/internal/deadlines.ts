import { performance } from "node:perf_hooks";

/** Something waiting in a {@link DeadlineList}: linked in deadline order, told when time is up. */
export abstract class Deadline {
  /** When time is up, in `performance.now()` milliseconds. */
  at = 0;
  prev: Deadline | undefined = undefined;
  next: Deadline | undefined = undefined;
  list: DeadlineList | undefined = undefined;
  /** Called once when the deadline passes while still in its list. */
  abstract expire(): void;
}

/**
 * Deadlines of one duration (e.g. every call with a 30 s timeout), kept in a linked list:
 * deadlines made later expire later, so the list is in deadline order and one timer, armed for
 * the head, serves all of them. Adding and removing are O(1) and make no timer; the timer is
 * re-armed only when it fires, and unref'd when the list empties (nothing keeps the process
 * alive once no call waits).
 *
 * @example
 * const list = new DeadlineList(5_000);
 * class Call extends Deadline { expire() { console.error("timed out"); } }
 * const call = new Call();
 * list.add(call);
 * list.remove(call); // done in time: never expires
 */
export class DeadlineList {
  readonly #ms: number;
  #head: Deadline | undefined;
  #tail: Deadline | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  /** Starts the clock of `d`: it expires `ms` from now unless removed first. */
  add(d: Deadline): void {
    d.at = performance.now() + this.#ms;
    d.list = this;
    d.prev = this.#tail;
    d.next = undefined;
    if (this.#tail) this.#tail.next = d;
    else this.#head = d;
    this.#tail = d;
    if (this.#timer === undefined) this.#timer = setTimeout(this.#fire, this.#ms);
    else if (!this.#timer.hasRef()) this.#timer.ref();
  }

  /** Stops the clock of `d` (no-op when it expired or was removed already). */
  remove(d: Deadline): void {
    if (d.list !== this) return;
    this.#unlink(d);
    // Nothing waits: the timer no longer keeps the process alive (kept, not cleared, so a
    // busy server whose list keeps emptying does not make a timer per call).
    if (this.#head === undefined) this.#timer?.unref();
  }

  #unlink(d: Deadline): void {
    if (d.prev) d.prev.next = d.next;
    else this.#head = d.next;
    if (d.next) d.next.prev = d.prev;
    else this.#tail = d.prev;
    d.prev = undefined;
    d.next = undefined;
    d.list = undefined;
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    let head = this.#head;
    while (head !== undefined && head.at <= now) {
      this.#unlink(head);
      head.expire();
      head = this.#head;
    }
    if (head !== undefined && this.#timer === undefined) {
      this.#timer = setTimeout(this.#fire, Math.max(1, Math.ceil(head.at - now)));
    }
  };
}
