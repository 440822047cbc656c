/**
 * ApiKeyStore against a real database (run for PGlite and PostgreSQL by the *.test.ts files).
 * A fake clock drives cache expiry, key expiry and last_used_at throttling.
 */
import { ApiKeyStore, BOOTSTRAP_KEY_ID, DEMO_KEY_ID, parseKey, type CreatedApiKey } from '../../../src/auth/api-keys';
import type { Principal } from '../../../src/auth/principal';
import { ErrorCode, PatchbayError } from '../../../src/domain/errors';
import type { Database } from '../../../src/store/database';
import { TEST_KEY_HASH_COST } from '../../helpers/key-hash-cost';
import { resetAuthTables } from './databases';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const ENV_SECRET = 'correct-horse-battery-staple-0123456789';

export function apiKeySuite(getDb: () => Database): void {
  let clock: number;
  let store: ApiKeyStore;
  const db = (): Database => getDb();
  const newStore = (): ApiKeyStore => new ApiKeyStore(db(), { now: () => clock, hashCost: TEST_KEY_HASH_COST });

  beforeEach(async () => {
    await resetAuthTables(db());
    clock = T0;
    store = newStore();
  });
  afterEach(() => store.flush());

  const supervisor = (): Promise<CreatedApiKey> =>
    store.create({
      name: 'ops desk',
      role: 'SUPERVISOR',
      scope: { all: false, accountIds: [ACCOUNT], backends: ['pbx1'] },
    });

  it('creates a key shown once, stores only its scrypt hash, and lists/gets it without secrets', async () => {
    const { key, record } = await supervisor();
    const parsed = parseKey(key)!;
    expect(parsed.id).toMatch(/^[a-z2-7]{10}$/);
    expect(record).toEqual({
      id: parsed.id,
      name: 'ops desk',
      role: 'SUPERVISOR',
      scope: { all: false, accountIds: [ACCOUNT], backends: ['pbx1'] },
      recipientId: null,
      createdAt: new Date(T0),
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    });
    const [row] = await db().query<{ secret_hash: string }>('SELECT secret_hash FROM api_key WHERE id = $1', [
      parsed.id,
    ]);
    // N = 2^hashCost: the store hashes at the cost it was given.
    expect(row.secret_hash).toMatch(new RegExp(`^scrypt\\$${2 ** TEST_KEY_HASH_COST}\\$8\\$1\\$`));
    expect(row.secret_hash).not.toContain(parsed.secret);
    expect(await store.get(parsed.id)).toEqual(record);
    expect(await store.list()).toEqual([record]);
    expect(JSON.stringify(await store.list())).not.toContain(parsed.secret);
    expect(await store.get('nosuchkey')).toBeNull();
  });

  it('refuses invalid keys with BAD_USER_INPUT before storing anything, and the table refuses unknown roles', async () => {
    await expect(store.create({ name: 'agent', role: 'AGENT', scope: { all: false } })).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      message: expect.stringContaining('an AGENT key needs recipientId'),
    });
    await expect(store.create({ name: 'x', role: 'ROOT' as never, scope: { all: true } })).rejects.toBeInstanceOf(
      PatchbayError,
    );
    expect(await store.list()).toEqual([]);
    await expect(
      db().query(`INSERT INTO api_key (id, name, role, secret_hash) VALUES ('rogue', 'r', 'ROOT', 'x')`),
    ).rejects.toThrow(/api_key_role_check/);
  });

  it('authenticates the exact key to its Principal and nothing else', async () => {
    const { key, record } = await store.create({
      name: 'desk 4',
      role: 'AGENT',
      scope: { all: false, accountIds: [ACCOUNT] },
      recipientId: `kz1:${ACCOUNT}/user4`,
    });
    const expected: Principal = {
      id: record.id,
      name: 'desk 4',
      role: 'AGENT',
      scope: { all: false, accountIds: [ACCOUNT], backends: [] },
      recipientId: `kz1:${ACCOUNT}/user4`,
      expiresAt: null,
    };
    expect(await store.authenticate(key)).toEqual(expected);
    expect(await store.authenticate(`${key}x`)).toBeNull();
    expect(await store.authenticate(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await store.authenticate(`pbk_zzzzzzzzzz_${parseKey(key)!.secret}`)).toBeNull();
    expect(await store.authenticate('Bearer nonsense')).toBeNull();
    expect(await store.authenticate('')).toBeNull();
    // Concurrent first uses share one verification and all succeed.
    const fresh = newStore();
    expect(await Promise.all([1, 2, 3, 4].map(() => fresh.authenticate(key)))).toEqual([
      expected,
      expected,
      expected,
      expected,
    ]);
    await fresh.flush();
  });

  it('caches a verification for 60 s: a change made behind the store shows only after that', async () => {
    const { key, record } = await supervisor();
    expect(await store.authenticate(key)).toMatchObject({ id: record.id });
    // Revoked by another process (the CLI): this store does not know yet.
    await db().query('UPDATE api_key SET revoked_at = now() WHERE id = $1', [record.id]);
    clock += 59_999;
    expect(await store.authenticate(key)).toMatchObject({ id: record.id });
    clock += 1;
    expect(await store.authenticate(key)).toBeNull();
    // A store that never saw the key checks the database at once.
    expect(await newStore().authenticate(key)).toBeNull();
  });

  it('revoke through the store: immediate (cache cleared), fires onRevoked, keeps the first revocation time', async () => {
    const { key, record } = await supervisor();
    const other = await supervisor();
    expect(await store.authenticate(key)).not.toBeNull();
    expect(await store.authenticate(other.key)).not.toBeNull();
    const revoked: string[] = [];
    const unsubscribe = store.onRevoked((id) => revoked.push(id));

    clock += 1000;
    expect(await store.isActive(record.id)).toBe(true);
    const result = await store.revoke(record.id);
    expect(await store.isActive(record.id)).toBe(false);
    expect(result).toMatchObject({ id: record.id, revokedAt: new Date(T0 + 1000) });
    expect(revoked).toEqual([record.id]);
    expect(await store.authenticate(key)).toBeNull();
    expect(await store.authenticate(other.key)).not.toBeNull();

    clock += 1000;
    expect((await store.revoke(record.id))?.revokedAt).toEqual(new Date(T0 + 1000));
    expect(await store.revoke('nosuchkey')).toBeNull();
    expect(revoked).toEqual([record.id, record.id]);
    unsubscribe();
    await store.revoke(other.record.id);
    expect(revoked).toHaveLength(2);
    const revokedAt = Object.fromEntries((await store.list()).map((k) => [k.id, k.revokedAt]));
    expect(revokedAt).toEqual({ [record.id]: new Date(T0 + 1000), [other.record.id]: new Date(T0 + 2000) });
  });

  it('rejects an expired key, even one verified and cached just before', async () => {
    const { key, record } = await store.create({
      name: 'temp',
      role: 'VIEWER',
      scope: { all: true },
      expiresAt: new Date(T0 + 30_000),
    });
    expect(await store.authenticate(key)).toMatchObject({ role: 'VIEWER' });
    clock += 29_999;
    expect(await store.authenticate(key)).not.toBeNull();
    expect(await store.isActive(record.id)).toBe(true);
    clock += 1;
    expect(await store.authenticate(key)).toBeNull();
    expect(await store.isActive(record.id)).toBe(false);
    expect(await store.isActive('nosuchkey')).toBe(false);
    expect(await newStore().authenticate(key)).toBeNull();
  });

  it('writes last_used_at at most once a minute per key', async () => {
    const { key, record } = await supervisor();
    const lastUsed = async (): Promise<Date | null> => {
      await store.flush();
      return (await store.get(record.id))!.lastUsedAt;
    };
    await store.authenticate(key);
    expect(await lastUsed()).toEqual(new Date(T0));
    clock += 30_000;
    await store.authenticate(key);
    expect(await lastUsed()).toEqual(new Date(T0));
    clock += 31_000;
    await store.authenticate(key);
    expect(await lastUsed()).toEqual(new Date(T0 + 61_000));
  });

  describe('ensureBootstrapAdmin (PATCHBAY_ADMIN_KEY)', () => {
    it('a bare secret: creates ADMIN key "bootstrap" once; the value itself and pbk_bootstrap_<value> authenticate', async () => {
      const first = await store.ensureBootstrapAdmin(ENV_SECRET);
      expect(first.status).toBe('created');
      expect(first.record).toMatchObject({
        id: BOOTSTRAP_KEY_ID,
        name: 'bootstrap admin',
        role: 'ADMIN',
        scope: { all: true, accountIds: [], backends: [] },
      });
      const again = await newStore().ensureBootstrapAdmin(ENV_SECRET);
      expect(again).toEqual({ status: 'unchanged', record: first.record });
      expect(await store.list()).toHaveLength(1);
      expect(await store.authenticate(ENV_SECRET)).toMatchObject({
        id: 'bootstrap',
        role: 'ADMIN',
        scope: { all: true },
      });
      expect(await store.authenticate(`pbk_bootstrap_${ENV_SECRET}`)).toMatchObject({ id: 'bootstrap' });
    });

    it('a changed value refreshes the secret: the old one is rejected at once, the new one works', async () => {
      await store.ensureBootstrapAdmin(ENV_SECRET);
      expect(await store.authenticate(ENV_SECRET)).not.toBeNull();
      const changed = `${ENV_SECRET}-rotated`;
      clock += 5000;
      const result = await store.ensureBootstrapAdmin(changed, 'ops admin');
      expect(result.status).toBe('refreshed');
      expect(result.record).toMatchObject({ id: 'bootstrap', name: 'ops admin', createdAt: new Date(T0) });
      expect(await store.authenticate(ENV_SECRET)).toBeNull();
      expect(await newStore().authenticate(ENV_SECRET)).toBeNull();
      expect(await store.authenticate(changed)).toMatchObject({ id: 'bootstrap', name: 'ops admin' });
      expect(await store.list()).toHaveLength(1);
    });

    it('a revoked bootstrap key stays revoked for the same value and comes back with a new one', async () => {
      await store.ensureBootstrapAdmin(ENV_SECRET);
      await store.revoke(BOOTSTRAP_KEY_ID);
      expect((await store.ensureBootstrapAdmin(ENV_SECRET)).status).toBe('revoked');
      expect(await store.authenticate(ENV_SECRET)).toBeNull();
      const fresh = `${ENV_SECRET}-2`;
      expect((await store.ensureBootstrapAdmin(fresh)).record.revokedAt).toBeNull();
      expect(await store.authenticate(fresh)).toMatchObject({ role: 'ADMIN' });
    });

    it('a value in key format names its own id; it never turns a non-admin key into an admin', async () => {
      const envKey = `pbk_opsroot01_${ENV_SECRET}`;
      expect((await store.ensureBootstrapAdmin(envKey)).record).toMatchObject({ id: 'opsroot01', role: 'ADMIN' });
      expect(await store.authenticate(envKey)).toMatchObject({ id: 'opsroot01' });
      expect((await store.ensureBootstrapAdmin(envKey)).status).toBe('unchanged');

      const { key } = await supervisor();
      await expect(store.ensureBootstrapAdmin(key)).rejects.toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        message: expect.stringContaining('an existing SUPERVISOR key: not turning it into an admin key'),
      });
      await expect(store.ensureBootstrapAdmin('too-short')).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
      await expect(store.ensureBootstrapAdmin('pbk_x_y')).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
    });
  });

  it('ensureDemoKey: an ADMIN key on the first start only (the secret is not kept)', async () => {
    const first = await store.ensureDemoKey();
    expect(first).not.toBeNull();
    expect(parseKey(first!.key)?.id).toBe(DEMO_KEY_ID);
    expect(first!.record).toMatchObject({ id: 'demo', name: 'demo admin', role: 'ADMIN', scope: { all: true } });
    expect(await store.authenticate(first!.key)).toMatchObject({ id: 'demo', role: 'ADMIN' });
    expect(await newStore().ensureDemoKey()).toBeNull();
    await store.revoke('demo');
    expect(await newStore().ensureDemoKey()).toBeNull();
    expect(await store.list()).toHaveLength(1);
  });
}
