/** The largest `n` {@link nthPrime} accepts (the 100,000th prime is 1,299,709). */
export const MAX_PRIME_INDEX = 100_000;

/**
 * The n-th prime (1-based: 1 → 2, 2 → 3, 3 → 5), found the slow way on purpose — trial
 * division of every odd candidate by every odd number up to its square root — so that the
 * demo has a computation worth caching (n = 100,000 takes a noticeable fraction of a second).
 *
 * @example
 * nthPrime(6); // 13
 */
export function nthPrime(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PRIME_INDEX) {
    throw new RangeError(`n must be an integer from 1 to ${MAX_PRIME_INDEX}`);
  }
  if (n === 1) return 2;
  let found = 1;
  let candidate = 1;
  while (found < n) {
    candidate += 2;
    if (isOddPrime(candidate)) found++;
  }
  return candidate;
}

function isOddPrime(k: number): boolean {
  if (k < 3) return false;
  for (let d = 3; d * d <= k; d += 2) {
    if (k % d === 0) return false;
  }
  return true;
}
