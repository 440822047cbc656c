/**
 * scrypt hashes for API key secrets. One self-describing string holds the parameters, salt and
 * hash, `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>`, so the cost can be raised later
 * without invalidating stored keys.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 64, saltLength: 16 } as const;

/**
 * The cost of new hashes as log2 N (`security.keyHashCost`). 15 (SCRYPT_PARAMS.N) takes about
 * 0.1 s of one core here; each step up doubles time and memory. Below 10 a hash is too cheap to
 * slow down a guesser holding the table.
 */
export const HASH_COST = { default: 15, min: 10, max: 20 } as const;

/** Stored hashes are trusted, but a corrupted one must not make verification eat the machine. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function scryptAsync(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Node's default maxmem (32 MiB) is exactly 128·N·r for N=2^15, r=8: too tight to run. */
function maxmem(N: number, r: number): number {
  return 128 * N * r * 2;
}

export async function hashSecret(secret: string, cost: number = HASH_COST.default): Promise<string> {
  if (!Number.isInteger(cost) || cost < HASH_COST.min || cost > HASH_COST.max) {
    throw new RangeError(`hash cost must be an integer from ${HASH_COST.min} to ${HASH_COST.max}, got ${cost}`);
  }
  const { r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const N = 2 ** cost;
  const salt = randomBytes(saltLength);
  const hash = await scryptAsync(secret, salt, keyLength, { N, r, p, maxmem: maxmem(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map((v) => (/^[1-9][0-9]{0,9}$/.test(v) ? Number(v) : NaN));
  const salt = Buffer.from(parts[4], 'base64url');
  const hash = Buffer.from(parts[5], 'base64url');
  const powerOfTwo = (N & (N - 1)) === 0;
  if (!(N > 1 && N <= MAX_N && powerOfTwo && r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P)) return null;
  if (salt.length < 8 || hash.length < 16 || hash.length > 128) return null;
  return { N, r, p, salt, hash };
}

/** True when `secret` matches `stored`. A malformed stored hash verifies nothing (false). */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const { N, r, p, salt, hash } = parsed;
  const candidate = await scryptAsync(secret, salt, hash.length, { N, r, p, maxmem: maxmem(N, r) });
  return timingSafeEqual(candidate, hash);
}
