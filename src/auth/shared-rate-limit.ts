/**
 * Token buckets in Redis, shared by every gateway instance of a deployment: one Lua script per
 * request reads, refills and takes atomically, on Redis's own clock (TIME), so instances with
 * skewed clocks agree and N instances together allow the configured rate, not N times it.
 * When Redis does not answer in time, this instance's own buckets decide (fail open to a
 * per-instance limit rather than refuse every request, or wait on a dead Redis).
 */
import type { Redis } from 'ioredis';
import { componentLogger } from '../log';
import { withTimeout } from '../observability/readiness';
import { checkBucketOptions, RateLimiter, type RequestLimiter, type TakeResult } from './rate-limit';

const log = componentLogger('auth.rate-limit');

/** A request waits at most this long on Redis before the local bucket answers. */
export const SHARED_LIMIT_TIMEOUT_MS = 250;

// KEYS[1] bucket hash {t: tokens, at: ms}; ARGV capacity, refill per ms, cost.
// Returns {1, 0} when taken, {0, ms until the tokens are back} when not. The key expires once
// the bucket would be full again (a full bucket is the same as none).
const TAKE_SCRIPT = `
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then
  tokens = cap
  at = now
end
if now > at then
  tokens = math.min(cap, tokens + (now - at) * rate)
  at = now
end
local taken = 0
if tokens >= cost then
  tokens = tokens - cost
  taken = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) / rate) + 1)
if taken == 1 then return {1, 0} end
return {0, math.ceil((cost - tokens) / rate)}
`;

type TakeCommand = (key: string, capacity: number, refillPerMs: number, cost: number) => Promise<[number, number]>;

export interface SharedRateLimiterOptions {
  capacity: number;
  refillPerSecond: number;
  /** Key prefix: one per deployment sharing a Redis (the event channel name is). */
  prefix: string;
}

export class SharedRateLimiter implements RequestLimiter {
  private readonly takeCommand: TakeCommand;
  private readonly local: RateLimiter;
  private readonly refillPerMs: number;
  private warnedAt = 0;

  constructor(
    redis: Redis,
    private readonly o: SharedRateLimiterOptions,
  ) {
    checkBucketOptions(o);
    this.refillPerMs = o.refillPerSecond / 1000;
    this.local = new RateLimiter({ capacity: o.capacity, refillPerSecond: o.refillPerSecond });
    // defineCommand sends the script by its sha (EVALSHA) and loads it on a NOSCRIPT answer.
    if (!('patchbayRateLimitTake' in redis))
      redis.defineCommand('patchbayRateLimitTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    this.takeCommand = (redis as unknown as { patchbayRateLimitTake: TakeCommand }).patchbayRateLimitTake.bind(redis);
  }

  take(keyId: string): Promise<TakeResult> {
    return withTimeout(
      this.takeCommand(`${this.o.prefix}:rate:${keyId}`, this.o.capacity, this.refillPerMs, 1),
      SHARED_LIMIT_TIMEOUT_MS,
      'Redis',
    )
      .then(([taken, waitMs]): TakeResult =>
        taken === 1 ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) },
      )
      .catch((e: Error) => {
        this.warnSometimes(e);
        return this.local.take(keyId);
      });
  }

  private warnSometimes(e: Error): void {
    const now = Date.now();
    if (now - this.warnedAt < 10_000) return;
    this.warnedAt = now;
    log.warn({ err: e.message }, 'shared rate limit unavailable: this instance limits alone meanwhile');
  }
}
