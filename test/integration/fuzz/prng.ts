/**
 * A small seeded PRNG (mulberry32) with the picks the generators need, so a failing fuzz run
 * can be replayed exactly with FUZZ_SEED=<seed>.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: [[weight, value], ...]. */
  weighted<T>(choices: ReadonlyArray<readonly [number, T]>): T {
    const total = choices.reduce((a, [w]) => a + w, 0);
    let r = this.next() * total;
    for (const [w, v] of choices) {
      r -= w;
      if (r < 0) return v;
    }
    return choices[choices.length - 1][1];
  }

  subset<T>(items: readonly T[], max: number): T[] {
    const out: T[] = [];
    const n = this.int(0, Math.min(max, items.length));
    for (let i = 0; i < n; i++) out.push(this.pick(items));
    return out;
  }
}

export function seedFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.FUZZ_SEED;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
      throw new Error(`FUZZ_SEED: expected an integer 0..4294967295, got ${JSON.stringify(given)}`);
    return n;
  }
  // CI replays seeds that passed, so a submission's result does not depend on the draw; a new
  // seed is drawn everywhere else (and printed), which is how new findings turn up.
  if (env.CI) return CI_SEEDS[new Date().getUTCDate() % CI_SEEDS.length];
  return Math.floor(Math.random() * 0xffffffff) >>> 0;
}

/** Seeds whose runs passed after the fixes they found (see bench/RESULTS.md "Fuzz run"). */
const CI_SEEDS = [33107227, 4166746738, 1597130072, 711530290, 207592474];
