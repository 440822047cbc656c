/**
 * Token buckets per API key id: `capacity` tokens, refilled continuously at `refillPerSecond`.
 * Pure and in memory (each gateway instance limits its own traffic). Memory stays bounded: a
 * bucket that has refilled to capacity is the same as no bucket, so idle ones are dropped.
 */
export interface RateLimiterOptions {
  /** Burst size: tokens a fresh bucket holds. */
  capacity: number;
  refillPerSecond: number;
  /** Clock in epoch ms; a fake one in tests. */
  now?: () => number;
  /**
   * Buckets kept at most. Beyond it idle (full) buckets go first, then the least recently
   * used, which only ever makes a limit more lenient for that key. Default 10,000.
   */
  maxBuckets?: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date. */
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerMs: number;
  private readonly now: () => number;
  private readonly maxBuckets: number;
  /** The key most recently moved to the end of `buckets` (undefined once it may have left). */
  private newest: string | undefined;

  constructor(options: RateLimiterOptions) {
    if (!(options.capacity > 0) || !Number.isFinite(options.capacity)) throw new RangeError('capacity must be a positive number');
    if (!(options.refillPerSecond > 0) || !Number.isFinite(options.refillPerSecond)) throw new RangeError('refillPerSecond must be a positive number');
    this.capacity = options.capacity;
    this.refillPerMs = options.refillPerSecond / 1000;
    this.now = options.now ?? Date.now;
    this.maxBuckets = Math.max(1, options.maxBuckets ?? 10_000);
  }

  /**
   * Takes `cost` tokens from the key's bucket, or none and says how long until they are there
   * (whole seconds, at least 1: what an HTTP Retry-After needs). A cost above capacity could
   * never be paid: RangeError.
   */
  take(keyId: string, cost = 1): TakeResult {
    if (!(cost > 0) || cost > this.capacity) throw new RangeError(`cost must be above 0 and at most ${this.capacity}`);
    const now = this.now();
    const bucket = this.current(keyId, now);
    // Most recently used last: eviction order for crowded maps. A key that is last already (one
    // busy client) stays where it is.
    if (keyId !== this.newest) {
      this.buckets.delete(keyId);
      this.buckets.set(keyId, bucket);
      this.newest = keyId;
    }
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      if (this.buckets.size > this.maxBuckets) this.evict(now);
      return { ok: true };
    }
    if (this.buckets.size > this.maxBuckets) this.evict(now);
    const waitMs = (cost - bucket.tokens) / this.refillPerMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Tokens the key has now (capacity for an unknown key). */
  available(keyId: string): number {
    const bucket = this.buckets.get(keyId);
    return bucket ? this.refilled(bucket, this.now()) : this.capacity;
  }

  /** Forgets one key's bucket (e.g. when the key is revoked). */
  reset(keyId: string): void {
    this.buckets.delete(keyId);
    if (keyId === this.newest) this.newest = undefined;
  }

  get size(): number {
    return this.buckets.size;
  }

  private current(keyId: string, now: number): Bucket {
    const bucket = this.buckets.get(keyId);
    if (!bucket) return { tokens: this.capacity, at: now };
    bucket.tokens = this.refilled(bucket, now);
    bucket.at = Math.max(bucket.at, now);
    return bucket;
  }

  private refilled(bucket: Bucket, now: number): number {
    // A clock stepping backwards must not drain a bucket.
    const elapsed = Math.max(0, now - bucket.at);
    return Math.min(this.capacity, bucket.tokens + elapsed * this.refillPerMs);
  }

  private evict(now: number): void {
    this.newest = undefined;
    for (const [keyId, bucket] of this.buckets) {
      if (this.refilled(bucket, now) >= this.capacity) this.buckets.delete(keyId);
    }
    // Down to 90%, so a crowd of busy keys does not pay a full scan on every new one.
    const target = Math.max(1, Math.floor(this.maxBuckets * 0.9));
    for (const keyId of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(keyId);
    }
  }
}
