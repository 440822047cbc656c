/** EventJournal behaviour, run against PGlite and PostgreSQL alike. */
import type { Journaled, NormalizedEvent } from '../../../src/domain/events';
import { PatchbayError } from '../../../src/domain/errors';
import { EventJournal, type JournalFilter } from '../../../src/events/journal';
import type { Database } from '../../../src/store/database';
import { openTestDatabase, resetJournal, type DatabaseKind, type TestDatabase } from './databases';
import {
  agentEvent,
  at,
  channelEvents,
  everyEventType,
  kazooChannelEvent,
  objectEvent,
  tinyEvent,
  waitUntil,
} from './event-fixtures';

const cursorsOf = (events: Journaled[]) => events.map((e) => e.cursor);
const strip = ({ cursor: _cursor, ...event }: Journaled): NormalizedEvent => event as NormalizedEvent;

async function badInputOf(promise: Promise<unknown>): Promise<PatchbayError> {
  const err = await promise.then(
    () => {
      throw new Error('expected BAD_USER_INPUT');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PatchbayError);
  expect((err as PatchbayError).code).toBe('BAD_USER_INPUT');
  return err as PatchbayError;
}

export function journalSuite(kind: DatabaseKind): void {
  describe(`event journal on ${kind}`, () => {
    let testDb: TestDatabase;
    let db: Database;
    let journal: EventJournal;

    beforeAll(async () => {
      testDb = await openTestDatabase(kind, 'journal');
      db = testDb.db;
      journal = new EventJournal(db, { retention: {} });
    });
    afterAll(async () => {
      await journal?.stop();
      await testDb?.cleanup();
    });
    beforeEach(async () => resetJournal(db));

    test('an empty journal has no cursors and reads nothing', async () => {
      expect(await journal.latestCursor()).toBeNull();
      expect(await journal.oldestCursor()).toBeNull();
      expect(await journal.read(null, { limit: 10 })).toEqual([]);
      expect(await journal.isExpired('0')).toBe(false);
      expect(await journal.append([])).toEqual([]);
    });

    test('append gives consecutive cursors in input order; read returns every event type exactly', async () => {
      const events = everyEventType();
      const appended = await journal.append(events);
      expect(appended.map(strip)).toStrictEqual(events);
      const seqs = appended.map((e) => BigInt(e.cursor));
      seqs.forEach((seq, i) => expect(seq).toBe(seqs[0] + BigInt(i)));

      const read = await journal.read(null, { limit: 100 });
      expect(read).toStrictEqual(appended);
      expect(await journal.oldestCursor()).toBe(appended[0].cursor);
      expect(await journal.latestCursor()).toBe(appended[appended.length - 1].cursor);

      // The filterable columns mirror the event's ids.
      const [row] = await db.query(
        `SELECT backend, backend_kind, category, type, reconciled, channel_id, account_id, user_id, device_id,
                recipient_id, queue_id, occurred_at, received_at FROM event_journal WHERE seq = $1`,
        [appended[17].cursor],
      );
      expect(row).toEqual({
        backend: 'kazoo-eu',
        backend_kind: 'kazoo',
        category: 'channel',
        type: 'ChannelCreated',
        reconciled: false,
        channel_id: 'call-1',
        account_id: 'acct1',
        user_id: 'user1',
        device_id: 'dev1',
        recipient_id: null,
        queue_id: null,
        occurred_at: at(100),
        received_at: at(101),
      });
    });

    test('each filter selects exactly its events; filters AND; arrays are any-of', async () => {
      const appended = await journal.append([
        ...channelEvents('c1').slice(0, 3), // pbx1, channel c1
        ...channelEvents('c2').slice(5, 6), // pbx1, DtmfReceived on c2
        kazooChannelEvent('call-1'), // kazoo-eu, acct1/user1/dev1
        agentEvent('agent1'), // acct1, recipient agent1, user agent1, queue q1
        agentEvent('agent2'),
        objectEvent('doc1'), // acct2
      ]);
      const c = cursorsOf(appended);
      const cases: Array<[JournalFilter, string[]]> = [
        [{}, c],
        [{ categories: ['agent'] }, [c[5], c[6]]],
        [{ categories: ['agent', 'object'] }, [c[5], c[6], c[7]]],
        [{ categories: [] }, []],
        [{ backends: ['pbx1'] }, c.slice(0, 4)],
        [{ backends: ['pbx1', 'kazoo-eu'] }, c],
        [{ backends: ['nope'] }, []],
        [{ types: ['ChannelCreated'] }, [c[0], c[4]]],
        [{ types: ['DtmfReceived', 'ObjectChanged'] }, [c[3], c[7]]],
        [{ channelId: 'c1' }, c.slice(0, 3)],
        [{ channelId: 'c2' }, [c[3]]],
        [{ accountId: 'acct1' }, [c[4], c[5], c[6]]],
        [{ userId: 'user1' }, [c[4]]],
        [{ userId: 'agent2' }, [c[6]]],
        [{ deviceId: 'dev1' }, [c[4]]],
        [{ recipientId: 'agent1' }, [c[5]]],
        [{ queueId: 'q1' }, [c[5], c[6]]],
        [{ accountId: 'acct1', categories: ['agent'], recipientId: 'agent2' }, [c[6]]],
        [{ backends: ['pbx1'], channelId: 'call-1' }, []],
      ];
      for (const [filter, expected] of cases) {
        const read = await journal.read(null, { filter, limit: 100 });
        expect({ filter, cursors: cursorsOf(read) }).toEqual({ filter, cursors: expected });
      }
    });

    test('limit, after and upTo page through the journal in cursor order', async () => {
      const appended = await journal.append(Array.from({ length: 9 }, (_, i) => tinyEvent(i)));
      const c = cursorsOf(appended);
      expect(cursorsOf(await journal.read(null, { limit: 4 }))).toEqual(c.slice(0, 4));
      expect(cursorsOf(await journal.read(c[3], { limit: 4 }))).toEqual(c.slice(4, 8));
      expect(cursorsOf(await journal.read(c[7], { limit: 4 }))).toEqual([c[8]]);
      expect(cursorsOf(await journal.read(c[8], { limit: 4 }))).toEqual([]);
      expect(cursorsOf(await journal.read(c[1], { limit: 100, upTo: c[4] }))).toEqual(c.slice(2, 5));
      expect(cursorsOf(await journal.read(null, { limit: 100, upTo: c[0] }))).toEqual([c[0]]);
      expect(cursorsOf(await journal.read(c[4], { limit: 100, upTo: c[4] }))).toEqual([]);
      expect(cursorsOf(await journal.read('0', { limit: 2 }))).toEqual(c.slice(0, 2));
      expect(await journal.read(null, { limit: 0 })).toEqual([]);
      // Paging with a filter: pbx1 events are the even ones.
      const firstPage = await journal.read(null, { limit: 2, filter: { backends: ['pbx1'] } });
      expect(cursorsOf(firstPage)).toEqual([c[0], c[2]]);
      const secondPage = await journal.read(firstPage[1].cursor, { limit: 2, filter: { backends: ['pbx1'] } });
      expect(cursorsOf(secondPage)).toEqual([c[4], c[6]]);

      const pages: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Journaled[] = await journal.read(after, { limit: 2 });
        if (page.length === 0) break;
        pages.push(...cursorsOf(page));
        after = page[page.length - 1].cursor;
      }
      expect(pages).toEqual(c);
    });

    test('a large batch is one transaction spanning several INSERTs', async () => {
      const events = Array.from({ length: 2300 }, (_, i) => tinyEvent(i));
      const appended = await journal.append(events);
      expect(appended).toHaveLength(2300);
      const first = BigInt(appended[0].cursor);
      appended.forEach((e, i) => expect(e.cursor).toBe((first + BigInt(i)).toString()));
      const read = await journal.read(null, { limit: 5000 });
      expect(read).toStrictEqual(appended);

      // A row the database refuses (category CHECK) in the last chunk rolls back the whole batch.
      const bad = { ...tinyEvent(9999), category: 'bogus' } as unknown as NormalizedEvent;
      await expect(journal.append([...events, bad])).rejects.toThrow();
      expect(await journal.latestCursor()).toBe(appended[2299].cursor);
      const [{ count }] = await db.query<{ count: string }>('SELECT count(*)::text AS count FROM event_journal');
      expect(count).toBe('2300');
    });

    test('invalid cursors and limits are BAD_USER_INPUT', async () => {
      for (const cursor of ['', 'abc', '-1', '1.5', '01', ' 1', '1 ', '+1', '1e3', '0x10', '9223372036854775808']) {
        const err = await badInputOf(journal.read(cursor, { limit: 1 }));
        expect(err.message).toMatch(/Invalid cursor for "after"/);
        await badInputOf(journal.isExpired(cursor));
      }
      await badInputOf(journal.read(null, { limit: 1, upTo: 'x' }));
      await badInputOf(journal.read(42 as unknown as string, { limit: 1 }));
      for (const limit of [-1, 1.5, Number.NaN]) await badInputOf(journal.read(null, { limit }));
      expect(await journal.read('9223372036854775807', { limit: 1 })).toEqual([]);
    });

    test('prune by count keeps the newest maxEvents; isExpired is exact at the boundary', async () => {
      const appended = await journal.append(Array.from({ length: 10 }, (_, i) => tinyEvent(i)));
      const c = cursorsOf(appended);
      const keep4 = new EventJournal(db, { retention: { maxEvents: 4 } });
      expect(await keep4.prune()).toBe(6);
      expect(await keep4.prune()).toBe(0);
      expect(await journal.oldestCursor()).toBe(c[6]);
      expect(cursorsOf(await journal.read(null, { limit: 100 }))).toEqual(c.slice(6));
      // Events after c[5] are all retained; after c[4], c[5] is gone.
      expect(await journal.isExpired(c[5])).toBe(false);
      expect(await journal.isExpired(c[4])).toBe(true);
      expect(await journal.isExpired('0')).toBe(true);
      expect(await journal.isExpired(c[9])).toBe(false);
      expect(await journal.isExpired('9223372036854775807')).toBe(false);

      // Everything pruned: an empty journal still knows what was lost.
      const keep0 = new EventJournal(db, { retention: { maxEvents: 0 } });
      expect(await keep0.prune()).toBe(4);
      expect(await journal.oldestCursor()).toBeNull();
      expect(await journal.latestCursor()).toBeNull();
      expect(await journal.isExpired(c[8])).toBe(true);
      expect(await journal.isExpired(c[9])).toBe(false);
      const next = await journal.append([tinyEvent(10)]);
      expect(BigInt(next[0].cursor)).toBeGreaterThan(BigInt(c[9]));
      expect(await journal.isExpired(c[9])).toBe(false);
      expect(cursorsOf(await journal.read(c[9], { limit: 10 }))).toEqual(cursorsOf(next));
    });

    test('prune by age deletes events received before now - maxAgeMs, as a prefix', async () => {
      const t = (s: number) => new Date(Date.parse('2026-11-23T12:00:00.000Z') + s * 1000);
      const appended = await journal.append([
        tinyEvent(0, t(0)),
        tinyEvent(1, t(10)),
        tinyEvent(2, t(30)), // received late relative to the next one: must not leave a hole
        tinyEvent(3, t(20)),
        tinyEvent(4, t(40)),
      ]);
      const c = cursorsOf(appended);
      const minute = new EventJournal(db, { retention: { maxAgeMs: 25_000 } });
      // now = t(50): cutoff t(25); the first row received at/after it is c[2].
      expect(await minute.prune(t(50))).toBe(2);
      expect(cursorsOf(await journal.read(null, { limit: 10 }))).toEqual(c.slice(2));
      expect(await journal.isExpired(c[1])).toBe(false);
      expect(await journal.isExpired(c[0])).toBe(true);
      // now = t(60): cutoff t(35): c[2] and c[3] go although c[3] was received at t(20) < t(30).
      expect(await minute.prune(t(60))).toBe(2);
      expect(cursorsOf(await journal.read(null, { limit: 10 }))).toEqual([c[4]]);
      // Everything old: all of it goes.
      expect(await minute.prune(t(100))).toBe(1);
      expect(await journal.oldestCursor()).toBeNull();
      expect(await journal.isExpired(c[3])).toBe(true);
      expect(await journal.isExpired(c[4])).toBe(false);
    });

    test('age and count limits together: the stricter wins', async () => {
      const t = (s: number) => new Date(Date.parse('2026-11-23T12:00:00.000Z') + s * 1000);
      const appended = await journal.append(Array.from({ length: 6 }, (_, i) => tinyEvent(i, t(i))));
      const c = cursorsOf(appended);
      const both = new EventJournal(db, { retention: { maxAgeMs: 3000, maxEvents: 4 } });
      expect(await both.prune(t(4))).toBe(2); // count wins: age would only drop t(0)
      expect(await both.prune(t(7))).toBe(2); // age wins: cutoff t(4) drops c[2], c[3]
      expect(cursorsOf(await journal.read(null, { limit: 10 }))).toEqual(c.slice(4));
      await expect(new EventJournal(db, { retention: {} }).prune()).resolves.toBe(0);
    });

    test('the Prisma models read the hand-written tables (schema.prisma and the migration agree)', async () => {
      const [appended] = await journal.append([agentEvent('agent7')]);
      const row = await db.prisma.eventJournal.findUniqueOrThrow({ where: { seq: BigInt(appended.cursor) } });
      expect(row).toMatchObject({
        backend: 'kazoo-eu',
        backendKind: 'kazoo',
        category: 'agent',
        type: 'AgentStateChanged',
        reconciled: false,
        channelId: null,
        accountId: 'acct1',
        userId: 'agent7',
        deviceId: null,
        recipientId: 'agent7',
        queueId: 'q1',
        occurredAt: at(0),
        receivedAt: at(1),
      });
      expect((row.payload as { backendName: string }).backendName).toBe('ready');
      expect(await db.prisma.eventJournalPruned.findUniqueOrThrow({ where: { id: 1 } })).toEqual({
        id: 1,
        throughSeq: 0n,
      });
      await db.prisma.ingestLease.create({ data: { backend: 'x', owner: 'o', expiresAt: at(0) } });
      expect(await db.prisma.ingestLease.findMany()).toEqual([{ backend: 'x', owner: 'o', expiresAt: at(0) }]);
      const columns = await db.query(
        `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
          WHERE table_name IN ('event_journal', 'event_journal_pruned', 'ingest_lease') ORDER BY table_name, ordinal_position`,
      );
      const tz = 'timestamp with time zone';
      expect(columns.map((c) => Object.values(c).join(' '))).toEqual([
        'event_journal seq bigint NO',
        'event_journal backend text NO',
        'event_journal backend_kind text NO',
        'event_journal category text NO',
        'event_journal type text NO',
        `event_journal occurred_at ${tz} NO`,
        `event_journal received_at ${tz} NO`,
        'event_journal reconciled boolean NO',
        'event_journal channel_id text YES',
        'event_journal account_id text YES',
        'event_journal user_id text YES',
        'event_journal device_id text YES',
        'event_journal recipient_id text YES',
        'event_journal queue_id text YES',
        'event_journal payload jsonb NO',
        'event_journal_pruned id integer NO',
        'event_journal_pruned through_seq bigint NO',
        'ingest_lease backend text NO',
        'ingest_lease owner text NO',
        `ingest_lease expires_at ${tz} NO`,
      ]);
    });

    test('bad retention settings are refused at construction', () => {
      expect(() => new EventJournal(db, { retention: { maxEvents: -1 } })).toThrow(/maxEvents/);
      expect(() => new EventJournal(db, { retention: { maxEvents: 1.5 } })).toThrow(/maxEvents/);
      expect(() => new EventJournal(db, { retention: { maxAgeMs: Number.NaN } })).toThrow(/maxAgeMs/);
    });

    test('startPruning prunes on a timer until stop()', async () => {
      await journal.append(Array.from({ length: 5 }, (_, i) => tinyEvent(i)));
      const pruner = new EventJournal(db, { retention: { maxEvents: 2 } });
      pruner.startPruning(20);
      await waitUntil(async () => (await journal.read(null, { limit: 10 })).length === 2, 'the timer to prune');
      await pruner.stop();
      // stop() waited for any prune in flight, so nothing touches rows appended after it.
      await journal.append(Array.from({ length: 5 }, (_, i) => tinyEvent(i)));
      expect((await journal.read(null, { limit: 10 })).length).toBe(7);
    });
  });
}
