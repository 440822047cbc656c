/**
 * Cursor order equals commit order across processes: appenders on separate pg Pools (as two
 * gateway instances would be) never let a reader see a later seq before an earlier one.
 */
import { Client } from 'pg';
import type { Database } from '../../../src/store/database';
import { EventJournal, JOURNAL_APPEND_LOCK_KEY, encodeEvent } from '../../../src/events/journal';
import { openTestDatabase, type TestDatabase } from './databases';
import { tinyEvent, waitUntil } from './event-fixtures';

const INSERT_RAW = `INSERT INTO event_journal (backend, backend_kind, category, type, occurred_at, received_at, payload)
  VALUES ('pbx1', 'ari', 'channel', 'DtmfReceived', now(), now(), $1::jsonb) RETURNING seq::text AS seq`;

describe('concurrent appenders on PostgreSQL', () => {
  let testDb: TestDatabase;
  let poolA: Database;
  let poolB: Database;
  let outside: Client;

  beforeAll(async () => {
    testDb = await openTestDatabase('postgresql', 'concurrency');
    poolA = await testDb.openAnother();
    poolB = await testDb.openAnother();
    outside = new Client({ connectionString: testDb.url });
    await outside.connect();
  });
  afterAll(async () => {
    await outside?.end();
    await testDb?.cleanup();
  });

  test('a reader polling read(after: last) sees every seq, contiguously, while two pools append', async () => {
    const writers = [new EventJournal(poolA, { retention: {} }), new EventJournal(poolB, { retention: {} })];
    const reader = new EventJournal(testDb.db, { retention: {} });
    const start = BigInt((await reader.latestCursor()) ?? '0');
    const WORKERS_PER_POOL = 4;
    const APPENDS_PER_WORKER = 30;

    const appended: string[] = [];
    let writersDone = false;
    const writing = Promise.all(
      writers.flatMap((journal, w) =>
        Array.from({ length: WORKERS_PER_POOL }, async (_, k) => {
          for (let i = 0; i < APPENDS_PER_WORKER; i++) {
            const size = 1 + ((w + k + i) % 3);
            const batch = Array.from({ length: size }, (_, j) => tinyEvent(i * 10 + j));
            const result = await journal.append(batch);
            appended.push(...result.map((e) => e.cursor));
          }
        }),
      ),
    ).finally(() => {
      writersDone = true;
    });

    const violations: string[] = [];
    const seen: string[] = [];
    let last = start;
    let polls = 0;
    for (;;) {
      const done = writersDone;
      const page = await reader.read(last.toString(), { limit: 50 });
      polls += 1;
      for (const event of page) {
        const seq = BigInt(event.cursor);
        if (seq !== last + 1n) violations.push(`after ${last} saw ${seq}`);
        last = seq;
        seen.push(event.cursor);
      }
      // Writers had all finished before this read began and it found nothing new: complete.
      if (done && page.length === 0) break;
    }
    await writing;

    expect(violations).toEqual([]);
    expect(seen).toEqual([...appended].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    const total = writers.length * WORKERS_PER_POOL * APPENDS_PER_WORKER * 2; // sizes 1,2,3 average 2
    expect(seen).toHaveLength(total);
    expect(polls).toBeGreaterThan(1);
  });

  test('an append waits for an earlier appender to commit, then takes the next seq', async () => {
    const journal = new EventJournal(poolA, { retention: {} });
    const reader = new EventJournal(poolB, { retention: {} });
    const before = (await reader.latestCursor()) ?? '0';

    // Another instance, mid-append: holds the lock and has taken a seq but not committed.
    await outside.query('BEGIN');
    await outside.query('SELECT pg_advisory_xact_lock($1)', [JOURNAL_APPEND_LOCK_KEY]);
    const {
      rows: [{ seq: earlier }],
    } = await outside.query<{ seq: string }>(INSERT_RAW, [JSON.stringify(encodeEvent(tinyEvent(1)))]);

    const appending = journal.append([tinyEvent(2)]);
    await waitUntil(async () => {
      const { rows } = await outside.query<{ waiting: string }>(
        `SELECT count(*)::text AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1`,
        [JOURNAL_APPEND_LOCK_KEY],
      );
      return rows[0].waiting === '1';
    }, 'the append to wait for the advisory lock');
    expect(await reader.read(before, { limit: 10 })).toEqual([]);

    await outside.query('COMMIT');
    const [later] = await appending;
    expect(BigInt(later.cursor)).toBe(BigInt(earlier) + 1n);
    expect((await reader.read(before, { limit: 10 })).map((e) => e.cursor)).toEqual([earlier, later.cursor]);
  });

  test('(why the lock exists) without it, a later seq commits first and a reader skips the earlier one', async () => {
    const reader = new EventJournal(poolB, { retention: {} });
    const before = (await reader.latestCursor()) ?? '0';
    const payload = JSON.stringify(encodeEvent(tinyEvent(3)));
    await outside.query('BEGIN');
    const {
      rows: [{ seq: earlier }],
    } = await outside.query<{ seq: string }>(INSERT_RAW, [payload]);
    const [{ seq: later }] = await poolA.query<{ seq: string }>(INSERT_RAW, [payload]);
    expect(BigInt(later)).toBe(BigInt(earlier) + 1n);
    const seen = await reader.read(before, { limit: 10 });
    expect(seen.map((e) => e.cursor)).toEqual([later]);
    await outside.query('COMMIT');
    // A reader that moved on to `later` would never read `earlier`.
    expect((await reader.read(later, { limit: 10 })).map((e) => e.cursor)).toEqual([]);
  });
});
