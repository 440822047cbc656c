/**
 * Rate limits shared by the workers of a cluster without Redis. Asking the primary for every
 * token put an IPC round trip on every request, and on a busy machine that wait, not CPU, capped
 * the cluster below one process (bench/RESULTS.md). So each worker decides from its own buckets
 * and tells the others what it spent, every REPORT_EVERY_MS; each charges those tokens to its
 * own buckets. N workers together allow the configured rate; only tokens spent within one report
 * interval on two workers (before either hears of the other) can exceed it. Reporting per event
 * loop turn instead cost a busy worker ~10% of its CPU in IPC messages (bench/RESULTS.md).
 */
import { RateLimiter, type RequestLimiter, type TakeResult } from '../auth/rate-limit';
import type { PrimaryLink } from './link';

const REPORT_EVERY_MS = 10;

export class SyncedRateLimiter implements RequestLimiter {
  private readonly local: RateLimiter;
  private spent = new Map<string, number>();
  private scheduled = false;
  private readonly off: () => void;

  constructor(
    private readonly link: PrimaryLink,
    bucket: { capacity: number; refillPerSecond: number },
  ) {
    this.local = new RateLimiter(bucket);
    this.off = link.on('rate', (m) => {
      for (const [keyId, n] of Object.entries(m.spent)) this.local.charge(keyId, n);
    });
  }

  take(keyId: string): TakeResult {
    const result = this.local.take(keyId);
    if (result.ok) {
      this.spent.set(keyId, (this.spent.get(keyId) ?? 0) + 1);
      if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => this.flush(), REPORT_EVERY_MS).unref();
      }
    }
    return result;
  }

  close(): void {
    this.off();
  }

  private flush(): void {
    this.scheduled = false;
    const spent = Object.fromEntries(this.spent);
    this.spent = new Map();
    this.link.send({ t: 'rate', spent });
  }
}
