import { scryptSync } from 'node:crypto';
import {
  BOOTSTRAP_KEY_ID,
  formatKey,
  generateKeyId,
  generateSecret,
  HASH_COST,
  hashSecret,
  parseKey,
  resolvePresentedKey,
  SCRYPT_PARAMS,
  verifySecret,
} from '../../../src/auth/api-keys';

const SECRET = 'Zm9vYmFyYmF6cXV4LV9hYmNkZWZnaGlqa2xtbm9wcXJz'; // 44 chars, base64url alphabet with - and _

describe('key format', () => {
  it('generates 10-character lowercase base32 ids and 43-character base64url secrets', () => {
    const ids = new Set(Array.from({ length: 200 }, generateKeyId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[a-z2-7]{10}$/);
    const secret = generateSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('formats pbk_<id>_<secret> and parses it back, even when the secret holds "_"', () => {
    const key = formatKey('abcdefgh23', 'a_b-c' + SECRET);
    expect(key).toBe(`pbk_abcdefgh23_a_b-c${SECRET}`);
    expect(parseKey(key)).toEqual({ id: 'abcdefgh23', secret: `a_b-c${SECRET}` });
  });

  it.each([
    ['no prefix', `abcdefgh23_${SECRET}`],
    ['wrong prefix', `pbx_abcdefgh23_${SECRET}`],
    ['no separator', `pbk_abcdefgh23${SECRET}`],
    ['upper-case id', `pbk_ABCDEFGH23_${SECRET}`],
    ['id too short', `pbk_ab_${SECRET}`],
    ['secret too short', 'pbk_abcdefgh23_short'],
    ['whitespace in secret', `pbk_abcdefgh23_${SECRET} x`],
    ['empty', ''],
  ])('rejects a malformed key: %s', (_label, key) => {
    expect(parseKey(key)).toBeNull();
  });

  it('resolves a bare secret of 32+ characters to the bootstrap key, and nothing shorter', () => {
    expect(resolvePresentedKey(SECRET)).toEqual({ id: BOOTSTRAP_KEY_ID, secret: SECRET });
    expect(resolvePresentedKey(`pbk_abcdefgh23_${SECRET}`)).toEqual({ id: 'abcdefgh23', secret: SECRET });
    expect(resolvePresentedKey('x'.repeat(31))).toBeNull();
    expect(resolvePresentedKey(`pbk_${'x'.repeat(40)}`)).toBeNull();
    expect(resolvePresentedKey(`${'x'.repeat(20)} ${'y'.repeat(20)}`)).toBeNull();
  });
});

describe('secret hashing (scrypt)', () => {
  it('encodes parameters, a 16-byte salt and a 64-byte hash in one string', async () => {
    const stored = await hashSecret(SECRET);
    const [scheme, N, r, p, salt, hash] = stored.split('$');
    expect([scheme, Number(N), Number(r), Number(p)]).toEqual(['scrypt', 2 ** 15, 8, 1]);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(SCRYPT_PARAMS.saltLength);
    expect(Buffer.from(hash, 'base64url')).toHaveLength(64);
  });

  it('verifies the right secret only, with a fresh salt per hash', async () => {
    const [a, b] = await Promise.all([hashSecret(SECRET), hashSecret(SECRET)]);
    expect(a).not.toBe(b);
    expect(await verifySecret(SECRET, a)).toBe(true);
    expect(await verifySecret(SECRET, b)).toBe(true);
    expect(await verifySecret(`${SECRET}x`, a)).toBe(false);
    expect(await verifySecret('', a)).toBe(false);
  });

  it('hashes at a given cost (N = 2^cost) and refuses one out of range', async () => {
    const stored = await hashSecret(SECRET, HASH_COST.min);
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** HASH_COST.min), '8', '1']);
    expect(await verifySecret(SECRET, stored)).toBe(true);
    for (const cost of [HASH_COST.min - 1, HASH_COST.max + 1, 12.5]) {
      await expect(hashSecret(SECRET, cost)).rejects.toThrow(RangeError);
    }
  });

  it('verifies with the parameters stored in the hash (so the cost can change later)', async () => {
    const salt = Buffer.alloc(16, 7);
    const hash = scryptSync(SECRET, salt, 32, { N: 1024, r: 4, p: 2 });
    const stored = `scrypt$1024$4$2$${salt.toString('base64url')}$${hash.toString('base64url')}`;
    expect(await verifySecret(SECRET, stored)).toBe(true);
    expect(await verifySecret('other', stored)).toBe(false);
  });

  it.each([
    ['another scheme', 'bcrypt$1024$4$2$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA'],
    ['N not a power of two', 'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA'],
    ['N absurdly large', 'scrypt$4294967296$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA'],
    ['missing parts', 'scrypt$32768$8$1$AAAA'],
    ['empty', ''],
  ])('a malformed stored hash verifies nothing: %s', async (_label, stored) => {
    expect(await verifySecret(SECRET, stored)).toBe(false);
  });
});
