/**
 * The one way tests wait: poll a condition until it holds, or fail with what was awaited.
 * Tests wait for state, never for time; the poll interval only bounds how late they notice.
 */
export interface WaitOptions {
  /** Give up after this long (default 5 s): generous, because the box is shared. */
  timeoutMs?: number;
  /** Poll interval (default 10 ms). */
  everyMs?: number;
}

/**
 * Resolves with the probe's first truthy value; the message names what never happened.
 * `(probe, what, timeoutMs, everyMs)` is accepted too, the form older helpers took.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  what: string,
  options: WaitOptions | number = {},
  pollMs?: number,
): Promise<NonNullable<T>> {
  const { timeoutMs = 5000, everyMs = pollMs ?? 10 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
