import { RateLimiter } from '../../../src/auth/rate-limit';

function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('RateLimiter (token bucket per key id)', () => {
  it('allows a burst of capacity, then refuses with the seconds until a token is back', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 3, refillPerSecond: 0.5, now: clock.now });
    expect([limiter.take('k'), limiter.take('k'), limiter.take('k')]).toEqual([
      { ok: true },
      { ok: true },
      { ok: true },
    ]);
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSeconds: 2 });
    clock.advance(1999);
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(1);
    expect(limiter.take('k')).toEqual({ ok: true });
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSeconds: 2 });
  });

  it('charge: tokens spent elsewhere (another worker) leave this bucket, never below empty', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 4, refillPerSecond: 1, now: clock.now });
    limiter.charge('k', 3);
    expect(limiter.available('k')).toBe(1);
    expect(limiter.take('k')).toEqual({ ok: true });
    limiter.charge('k', 5);
    expect(limiter.available('k')).toBe(0);
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(1000);
    expect(limiter.take('k')).toEqual({ ok: true });
  });

  it('keeps one bucket per key id', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, now: clock.now });
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b')).toEqual({ ok: true });
  });

  it('refills continuously up to capacity, never beyond', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 10, refillPerSecond: 4, now: clock.now });
    expect(limiter.take('k', 10)).toEqual({ ok: true });
    clock.advance(250);
    expect(limiter.available('k')).toBeCloseTo(1);
    clock.advance(3600_000);
    expect(limiter.available('k')).toBe(10);
    expect(limiter.take('k', 10)).toEqual({ ok: true });
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('charges a cost, refusing without taking anything when it cannot be paid', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 5, refillPerSecond: 1, now: clock.now });
    expect(limiter.take('k', 4)).toEqual({ ok: true });
    expect(limiter.take('k', 3)).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(limiter.available('k')).toBe(1);
    expect(limiter.take('k', 1)).toEqual({ ok: true });
    expect(() => limiter.take('k', 6)).toThrow(RangeError);
    expect(() => limiter.take('k', 0)).toThrow(RangeError);
  });

  it('survives a clock stepping backwards without draining or over-filling', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 1, now: clock.now });
    limiter.take('k', 2);
    clock.advance(-10_000);
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(10_000);
    // Time only counts from the latest reading, so the backwards step did not mint tokens.
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(1000);
    expect(limiter.take('k')).toEqual({ ok: true });
  });

  it('bounds memory: idle (refilled) buckets are dropped first, then the least recently used', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 1, now: clock.now, maxBuckets: 10 });
    for (let i = 0; i < 10; i++) limiter.take(`old${i}`);
    clock.advance(1000); // all of them refilled: idle
    limiter.take('busy', 2);
    expect(limiter.size).toBe(1);
    expect(limiter.available('busy')).toBe(0);

    for (let i = 0; i < 20; i++) limiter.take(`k${i}`);
    expect(limiter.size).toBeLessThanOrEqual(10);
    // The newest keys keep their state.
    expect(limiter.available('k19')).toBe(1);
  });

  it('a key used again and again stays the most recently used; eviction drops the least recent', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 5, refillPerSecond: 1, now: clock.now, maxBuckets: 10 });
    limiter.take('a');
    for (const k of 'bcdefghij') limiter.take(k);
    limiter.take('a');
    limiter.take('a');
    limiter.take('k'); // 11 buckets: the least recently used one (b) goes
    expect(limiter.size).toBe(10);
    expect(limiter.available('a')).toBe(2);
    expect(limiter.available('k')).toBe(4);
    expect(limiter.available('c')).toBe(4);
    expect(limiter.available('b')).toBe(5);
  });

  it('reset forgets a key and validates its options', () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, now: () => 0 });
    limiter.take('k');
    limiter.reset('k');
    expect(limiter.take('k')).toEqual({ ok: true });
    // The bucket made after the reset is kept: the next take is refused.
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(() => new RateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });
});
