import "server-only";

/**
 * "Full jitter" exponential backoff (AWS Architecture Blog): a random delay between 0 and min(cap, base * 2^n), so
 * receivers that failed together are not retried together.
 */
export function retryDelayMs(attempt: number, retry: { baseMs: number; capMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(retry.capMs, retry.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
