// Why: one bounded-concurrency map for every fan-out the explorer does (task counts, progress files, reactivating tasks).

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in order of the items; stops starting new ones once
 * `signal` aborts. Resolves with one settled result per item (a failure does not stop the others); undefined where
 * no call started because of the abort.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<(PromiseSettledResult<R> | undefined)[]> {
  const results: (PromiseSettledResult<R> | undefined)[] = items.map(() => undefined);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await fn(items[index], index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
