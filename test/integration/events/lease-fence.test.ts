/**
 * The journal is fenced by the ingest lease: once another instance holds a backend's lease (or
 * the writer's has expired), the old holder's append is refused in its own transaction and
 * writes nothing — on the embedded store and on PostgreSQL with two separate pools.
 */
import { EventJournal, FencedAppendError } from '../../../src/events/journal/journal';
import { IngestLeases } from '../../../src/events/lease';
import type { Database } from '../../../src/store/database';
import { openTestDatabase, type DatabaseKind, type TestDatabase } from '../events-store/databases';
import { tinyEvent } from '../events-store/event-fixtures';

const RETENTION = { retention: { maxAgeMs: 3_600_000, maxEvents: 100_000 } };

/** Ends a lease as if its holder had stopped renewing it; a short TTL instead raced the first append on a loaded box. */
async function expireLease(db: Database, backend: string): Promise<void> {
  await db.query(`UPDATE ingest_lease SET expires_at = now() - interval '1 second' WHERE backend = $1`, [backend]);
}

async function count(db: Database): Promise<number> {
  const [row] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM event_journal`);
  return Number(row.n);
}

describe.each<DatabaseKind>(['pglite', 'postgresql'])('journal appends fenced by the ingest lease (%s)', (kind) => {
  let testDb: TestDatabase;
  let dbA: Database;
  let dbB: Database;
  beforeAll(async () => {
    testDb = await openTestDatabase(kind, 'fence');
    dbA = testDb.db;
    dbB = kind === 'postgresql' ? await testDb.openAnother() : testDb.db;
  }, 60_000);
  afterAll(async () => testDb?.cleanup());

  it('the old holder cannot append after a hand-over; the new holder can; an expired lease appends nothing', async () => {
    const journalA = new EventJournal(dbA, RETENTION);
    const journalB = new EventJournal(dbB, RETENTION);
    const a = new IngestLeases(dbA, { ownerId: 'A', ttlMs: 60_000, renewEveryMs: 0 });
    const b = new IngestLeases(dbB, { ownerId: 'B', ttlMs: 60_000, renewEveryMs: 0 });
    const fenceA = { backend: 'pbx1', owner: 'A' };
    const fenceB = { backend: 'pbx1', owner: 'B' };

    expect(await a.acquire('pbx1')).toBe(true);
    expect(await journalA.append([tinyEvent(1)], fenceA)).toHaveLength(1);
    // B has no lease yet: refused, nothing written.
    await expect(journalB.append([tinyEvent(2)], fenceB)).rejects.toBeInstanceOf(FencedAppendError);
    expect(await count(dbA)).toBe(1);

    // A's lease runs out; before anyone takes it, A's own append is refused too.
    await expireLease(dbA, 'pbx1');
    await expect(journalA.append([tinyEvent(3)], fenceA)).rejects.toBeInstanceOf(FencedAppendError);

    // Hand-over: B takes the lease, A still believes it holds it and tries again.
    expect(await b.acquire('pbx1')).toBe(true);
    expect(a.heldBackends()).toEqual(['pbx1']);
    const refused = journalA.append([tinyEvent(4), tinyEvent(5)], fenceA);
    await expect(refused).rejects.toBeInstanceOf(FencedAppendError);
    await expect(refused).rejects.toThrow('ingest lease of "pbx1" is no longer held by "A"; append refused');
    const [written] = await journalB.append([tinyEvent(6)], fenceB);
    expect(await count(dbA)).toBe(2);
    const all = await journalA.read(null, { limit: 10 });
    expect(all.map((e) => e.cursor)).toEqual([expect.any(String), written.cursor]);

    // Unfenced appends (tools, tests) are not affected.
    expect(await journalA.append([tinyEvent(7)])).toHaveLength(1);
    await b.releaseAll();
  });
});
