/**
 * Polls a condition until it holds or a deadline passes: the awaited replacement for sleeps in tests.
 * The loop is bounded by `timeoutMs`; the last error or falsy result is named in the failure.
 */
export interface WaitForOptions {
  /** Pause between attempts (ms). Default 50. */
  readonly intervalMs?: number;
  /** Named in the timeout error so a failure says what was awaited. */
  readonly description?: string;
}

export class WaitForTimeoutError extends Error {
  override readonly name = 'WaitForTimeoutError';
}

/**
 * Resolves with the first truthy value `cond` returns (sync or async). A throwing `cond` counts as
 * "not yet"; its last error is reported if the deadline passes.
 */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  timeoutMs: number,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: unknown;
  for (;;) {
    try {
      const value = await cond();
      if (value) return value as NonNullable<T>;
      lastValue = value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const what = options.description ?? 'condition';
  const why =
    lastError instanceof Error ? `last error: ${lastError.message}` : `last value: ${String(lastValue)}`;
  throw new WaitForTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what} (${why})`);
}

/** Resolves after `ms`; only for pacing inside bounded loops, never to wait for an outcome. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with a named error if `promise` has not settled within `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WaitForTimeoutError(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
