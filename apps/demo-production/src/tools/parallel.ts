/**
 * Maps `items` through `fn` with at most `limit` calls running at once; each item's outcome is
 * kept on its own (a failure does not stop the others), in input order.
 *
 * @example
 * const out = await mapWithConcurrency([1, 2, 3], 2, async (n) => n * 2);
 * // [{ ok: true, value: 2 }, { ok: true, value: 4 }, { ok: true, value: 6 }]
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<Array<{ ok: true; value: R } | { ok: false; error: unknown }>> {
  const results: Array<{ ok: true; value: R } | { ok: false; error: unknown }> = new Array(
    items.length,
  );
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { ok: true, value: await fn(items[index] as T, index) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
