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
