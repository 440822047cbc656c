/**
 * Independent expectations checked together: one run reports every broken property of the
 * failover (a missing ChannelDestroyed and a stale live view are different findings), not
 * just the first.
 */
export class SoftChecks {
  private readonly failures: string[] = [];

  that(label: string, check: () => void | Promise<void>): Promise<void> {
    return (async () => {
      try {
        await check();
      } catch (e) {
        this.failures.push(`✗ ${label}\n${(e as Error).message}`);
      }
    })();
  }

  /** Throws one error listing every failed check, followed by `context` (e.g. the journal). */
  assertAll(context: () => string): void {
    if (this.failures.length === 0) return;
    throw new Error(`${this.failures.length} check(s) failed:\n\n${this.failures.join('\n\n')}\n\n${context()}`);
  }
}
