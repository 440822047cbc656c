/**
 * Token buckets per API key id: `capacity` tokens, refilled continuously at `refillPerSecond`.
 * RateLimiter keeps them in this process's memory (one instance, or no Redis); a bucket that has
 * refilled to capacity is the same as no bucket, so each entry lives only until it would be full
 * again, and at most `maxBuckets` are kept (least recently used go first: lru-cache).
 * SharedRateLimiter (src/auth/shared-rate-limit.ts) keeps them in Redis, so N instances together
 * allow the configured rate, not N times it.
 */
import { LRUCache } from 'lru-cache';

export interface RateLimiterOptions {
  /** Burst size: tokens a fresh bucket holds. */
  capacity: number;
  refillPerSecond: number;
  /** Clock in epoch ms; a fake one in tests. */
  now?: () => number;
  /** Buckets kept at most; beyond it the least recently used is dropped (more lenient for that key). Default 10,000. */
  maxBuckets?: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** What the HTTP and graphql-ws servers ask before running an operation. */
export interface RequestLimiter {
  /** Takes a token, or says how long until one is there. */
  take(keyId: string): TakeResult | Promise<TakeResult>;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date. */
  at: number;
}

export function checkBucketOptions(o: Pick<RateLimiterOptions, 'capacity' | 'refillPerSecond'>): void {
  if (!(o.capacity > 0) || !Number.isFinite(o.capacity)) throw new RangeError('capacity must be a positive number');
  if (!(o.refillPerSecond > 0) || !Number.isFinite(o.refillPerSecond))
    throw new RangeError('refillPerSecond must be a positive number');
}

/** Whole seconds until `missing` tokens are back, at least 1: what an HTTP Retry-After needs. */
export function retryAfterSeconds(missing: number, refillPerMs: number): number {
  return Math.max(1, Math.ceil(missing / refillPerMs / 1000));
}

export class RateLimiter implements RequestLimiter {
  private readonly buckets: LRUCache<string, Bucket>;
  private readonly capacity: number;
  private readonly refillPerMs: number;
  private readonly now: () => number;

  constructor(options: RateLimiterOptions) {
    checkBucketOptions(options);
    this.capacity = options.capacity;
    this.refillPerMs = options.refillPerSecond / 1000;
    this.now = options.now ?? Date.now;
    // lru-cache reads its ttl clock from `perf`: the same clock as the buckets.
    this.buckets = new LRUCache<string, Bucket>({
      max: Math.max(1, options.maxBuckets ?? 10_000),
      ttlResolution: 0,
      perf: { now: this.now },
    });
  }

  /**
   * Takes `cost` tokens from the key's bucket, or none and says how long until they are there.
   * A cost above capacity could never be paid: RangeError.
   */
  take(keyId: string, cost = 1): TakeResult {
    if (!(cost > 0) || cost > this.capacity) throw new RangeError(`cost must be above 0 and at most ${this.capacity}`);
    const now = this.now();
    const bucket = this.current(keyId, now);
    const ok = bucket.tokens >= cost;
    if (ok) bucket.tokens -= cost;
    this.keep(keyId, bucket, now);
    return ok
      ? { ok: true }
      : { ok: false, retryAfterSeconds: retryAfterSeconds(cost - bucket.tokens, this.refillPerMs) };
  }

  /**
   * Removes up to `n` tokens that were spent elsewhere (another worker of a cluster:
   * src/cluster/synced-rate-limit.ts), so this bucket answers for all of them.
   */
  charge(keyId: string, n: number): void {
    const now = this.now();
    const bucket = this.current(keyId, now);
    bucket.tokens = Math.max(0, bucket.tokens - n);
    this.keep(keyId, bucket, now);
  }

  /** Tokens the key has now (capacity for an unknown key). */
  available(keyId: string): number {
    const bucket = this.buckets.get(keyId, { updateAgeOnGet: false });
    return bucket ? this.refilled(bucket, this.now()) : this.capacity;
  }

  /** Forgets one key's bucket (e.g. when the key is revoked). */
  reset(keyId: string): void {
    this.buckets.delete(keyId);
  }

  /** Buckets held (ones that have refilled since are dropped first). */
  get size(): number {
    this.buckets.purgeStale();
    return this.buckets.size;
  }

  /**
   * Kept until it is full again (lru-cache drops an entry once more than ttl ms have passed
   * since now; refills count from bucket.at); set() also makes it the most recently used.
   */
  private keep(keyId: string, bucket: Bucket, now: number): void {
    const fullAfterMs = bucket.at - now + (this.capacity - bucket.tokens) / this.refillPerMs;
    this.buckets.set(keyId, bucket, { ttl: Math.max(1, Math.ceil(fullAfterMs) - 1) });
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
}
