/**
 * A small fixed cost for the cache figure's `slow_echo` tool, the same on every server: spins
 * synchronously for `ms` milliseconds (standing in for a little real work — parsing, a lookup,
 * formatting — that a cache would save).
 */
export function spin(ms: number): number {
  const end = performance.now() + ms;
  let turns = 0;
  while (performance.now() < end) turns++;
  return turns;
}

/** How long `slow_echo` works per call, in milliseconds. */
export const SLOW_ECHO_MS = 0.2;

/**
 * A fixed amount of work: `iterations` steps of a linear congruential generator (integer
 * arithmetic, no allocation, nothing the compiler can drop). Unlike {@link spin}, it does the
 * same work whatever the clock says, so it costs what work costs where it runs.
 *
 * @example
 * compute(iterationsFor(10)); // about 10 µs of work, as a hot loop measures it
 */
export function compute(iterations: number): number {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  // Kept where the compiler cannot prove it unused, so the loop is never dropped.
  computed.last = x;
  return x;
}

/** The last {@link compute} result (what keeps its loop from being optimized away). */
const computed = { last: 0 };

/**
 * How many {@link compute} iterations take `us` microseconds in a hot loop here: the function
 * is run until optimized, then timed over about 50 ms (the fastest of five tries).
 *
 * @example
 * const n = iterationsFor(10);
 */
export function iterationsFor(us: number): number {
  for (let i = 0; i < 2000; i++) compute(1000);
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 5; attempt++) {
    const start = performance.now();
    for (let i = 0; i < 10_000; i++) compute(1000);
    best = Math.min(best, (performance.now() - start) / 10_000);
  }
  return Math.max(1, Math.round((us / 1000 / best) * 1000));
}
