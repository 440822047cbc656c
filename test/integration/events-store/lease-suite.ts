/** IngestLeases with two owners on one database, run against PGlite and PostgreSQL alike. */
import { performance } from 'node:perf_hooks';
import { IngestLeases } from '../../../src/events/lease';
import type { Database } from '../../../src/store/database';
import { openTestDatabase, resetJournal, type DatabaseKind, type TestDatabase } from './databases';
import { waitUntil } from './event-fixtures';

export function leaseSuite(kind: DatabaseKind): void {
  describe(`ingest leases on ${kind}`, () => {
    let testDb: TestDatabase;
    let db: Database;
    const made: IngestLeases[] = [];
    const leases = (ownerId: string, options: { ttlMs?: number; renewEveryMs?: number } = {}) => {
      const l = new IngestLeases(db, { ownerId, ...options });
      made.push(l);
      return l;
    };
    /** Whether the database clock says `backend`'s lease has expired. */
    const expiredInDb = async (backend: string) =>
      (
        await db.query<{ expired: boolean }>(
          `SELECT expires_at < now() AS expired FROM ingest_lease WHERE backend = $1`,
          [backend],
        )
      )[0]?.expired ?? true;

    beforeAll(async () => {
      testDb = await openTestDatabase(kind, 'lease');
      db = testDb.db;
    });
    afterEach(async () => {
      for (const l of made.splice(0)) await l.releaseAll();
      await resetJournal(db);
    });
    afterAll(async () => testDb?.cleanup());

    test('one owner at a time; re-acquiring your own lease succeeds; release frees it at once', async () => {
      const a = leases('A', { renewEveryMs: 0 });
      const b = leases('B', { renewEveryMs: 0 });
      expect(await a.acquire('pbx1')).toBe(true);
      expect(await b.acquire('pbx1')).toBe(false);
      expect(await a.acquire('pbx1')).toBe(true);
      expect(await b.acquire('kazoo-eu')).toBe(true);
      const holders = await a.holders();
      expect(holders.map(({ backend, owner }) => ({ backend, owner }))).toEqual([
        { backend: 'kazoo-eu', owner: 'B' },
        { backend: 'pbx1', owner: 'A' },
      ]);
      const [dbNow] = await db.query<{ now: Date }>('SELECT now() AS now');
      for (const h of holders) {
        expect(h.expiresAt).toBeInstanceOf(Date);
        const left = h.expiresAt.getTime() - dbNow.now.getTime();
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThanOrEqual(5000);
      }
      expect(a.heldBackends()).toEqual(['pbx1']);

      await a.release('pbx1');
      expect(a.heldBackends()).toEqual([]);
      expect(await b.acquire('pbx1')).toBe(true);
      expect(await a.acquire('pbx1')).toBe(false);
      await b.releaseAll();
      expect(await a.holders()).toEqual([]);
    });

    test('expiry follows the database clock: a lease whose expires_at has passed can be taken', async () => {
      const a = leases('A', { renewEveryMs: 0 });
      const b = leases('B', { renewEveryMs: 0 });
      expect(await a.acquire('pbx1')).toBe(true);
      await db.query(`UPDATE ingest_lease SET expires_at = now() - interval '1 millisecond' WHERE backend = 'pbx1'`);
      expect(await a.holders()).toEqual([]);
      expect(await b.acquire('pbx1')).toBe(true);
      expect((await a.holders()).map((h) => h.owner)).toEqual(['B']);
    });

    test('an expired lease is stolen; the old owner learns on renew (onLost) and on acquire', async () => {
      // Long enough that B's first try always meets A's live lease, however loaded the machine.
      const a = leases('A', { ttlMs: 1500, renewEveryMs: 0 });
      const b = leases('B', { ttlMs: 5000, renewEveryMs: 0 });
      const lost: string[] = [];
      a.onLost((backend) => lost.push(backend));
      expect(await a.acquire('pbx1')).toBe(true);
      expect(await a.acquire('pbx2')).toBe(true);
      expect(await b.acquire('pbx1')).toBe(false);
      await waitUntil(() => expiredInDb('pbx1'), 'A’s lease to expire');
      expect(await b.acquire('pbx1')).toBe(true);

      // pbx2 expired too but nobody took it: renewing keeps it.
      expect(await a.renew()).toEqual(['pbx1']);
      expect(lost).toEqual(['pbx1']);
      expect(a.heldBackends()).toEqual(['pbx2']);
      expect((await a.holders()).map((h) => [h.backend, h.owner])).toEqual([
        ['pbx1', 'B'],
        ['pbx2', 'A'],
      ]);

      // Same through acquire: B's pbx2 steal is noticed when A re-acquires.
      await waitUntil(() => expiredInDb('pbx2'), 'A’s pbx2 lease to expire');
      expect(await b.acquire('pbx2')).toBe(true);
      expect(await a.acquire('pbx2')).toBe(false);
      expect(lost).toEqual(['pbx1', 'pbx2']);
      expect(a.heldBackends()).toEqual([]);
      // Nothing held, nothing to renew, no further reports.
      expect(await a.renew()).toEqual([]);
      expect(lost).toEqual(['pbx1', 'pbx2']);
    });

    test('a lease taken and then released by someone else is lost too', async () => {
      const a = leases('A', { ttlMs: 100, renewEveryMs: 0 });
      const b = leases('B', { renewEveryMs: 0 });
      const lost: string[] = [];
      a.onLost((backend) => lost.push(backend));
      expect(await a.acquire('pbx1')).toBe(true);
      await waitUntil(() => expiredInDb('pbx1'), 'A’s lease to expire');
      expect(await b.acquire('pbx1')).toBe(true);
      await b.release('pbx1');
      expect(await a.renew()).toEqual(['pbx1']);
      expect(lost).toEqual(['pbx1']);
    });

    test('the keep-alive timer renews leases past their ttl, until released', async () => {
      const a = leases('A', { ttlMs: 300, renewEveryMs: 40 });
      const b = leases('B', { renewEveryMs: 0 });
      const lost: string[] = [];
      a.onLost((backend) => lost.push(backend));
      expect(a.renewEveryMs).toBe(40);
      expect(await a.acquire('pbx1')).toBe(true);
      const [first] = await a.holders();
      // Wait until the database clock is past the first expiry: only renewals can keep A's lease.
      await waitUntil(
        async () =>
          (await db.query<{ past: boolean }>('SELECT now() > $1::timestamptz AS past', [first.expiresAt]))[0].past,
        'the first expiry to pass',
      );
      expect(await b.acquire('pbx1')).toBe(false);
      const [renewed] = await a.holders();
      expect(renewed.owner).toBe('A');
      expect(renewed.expiresAt.getTime()).toBeGreaterThan(first.expiresAt.getTime());
      expect(lost).toEqual([]);

      await a.releaseAll();
      expect(await b.acquire('pbx1')).toBe(true);
    });

    test('releaseAll only removes this owner’s leases', async () => {
      const a = leases('A', { renewEveryMs: 0 });
      const b = leases('B', { renewEveryMs: 0 });
      await a.acquire('pbx1');
      await a.acquire('pbx2');
      await b.acquire('kazoo-eu');
      await a.releaseAll();
      expect((await b.holders()).map((h) => h.backend)).toEqual(['kazoo-eu']);
      await b.release('pbx1'); // not B's: a no-op
      expect((await b.holders()).map((h) => h.backend)).toEqual(['kazoo-eu']);
    });

    // PGlite lives in this process: there is no server to lose.
    if (kind === 'postgresql')
      test('with the database unreachable, held leases count as lost once their ttl has passed', async () => {
        const other = await testDb.openAnother();
        const a = new IngestLeases(other, { ownerId: 'A', ttlMs: 300, renewEveryMs: 0 });
        const lost: string[] = [];
        a.onLost((backend) => lost.push(backend));
        const acquiredAt = performance.now();
        expect(await a.acquire('pbx1')).toBe(true);
        await other.close();
        await waitUntil(async () => (await a.renew()).length > 0, 'the lease to count as lost');
        expect(performance.now() - acquiredAt).toBeGreaterThanOrEqual(300);
        expect(lost).toEqual(['pbx1']);
        expect(a.heldBackends()).toEqual([]);
      });

    test('options are checked and defaulted', () => {
      expect(() => new IngestLeases(db, { ownerId: '' })).toThrow(/ownerId/);
      expect(() => new IngestLeases(db, { ownerId: 'x', ttlMs: 0 })).toThrow(/ttlMs/);
      const defaults = new IngestLeases(db, { ownerId: 'x' });
      expect([defaults.ttlMs, defaults.renewEveryMs]).toEqual([5000, 1666]);
    });
  });
}
