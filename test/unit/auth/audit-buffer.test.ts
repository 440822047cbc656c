/**
 * AuditLog's write path without a database: a stand-in for Database.query records what would
 * be inserted (the statement's one JSON parameter), or fails, to show batching, ordering and
 * that failures stay inside.
 */
import { AuditLog, type AuditEntry } from '../../../src/auth/audit';
import type { Database } from '../../../src/store/database';

type Row = { operation: string };

function fakeDb(fail: () => boolean): { db: Pick<Database, 'prisma' | 'query'>; batches: Row[][] } {
  const batches: Row[][] = [];
  const query = async (_sql: string, params?: unknown[]) => {
    await new Promise((r) => setImmediate(r));
    if (fail()) throw new Error('connection terminated');
    batches.push(JSON.parse(params![0] as string) as Row[]);
    return [];
  };
  return { db: { query } as unknown as Pick<Database, 'prisma' | 'query'>, batches };
}

const entry = (i: number): AuditEntry => ({
  principalId: 'k',
  principalName: 'n',
  role: 'ADMIN',
  operation: `op${i}`,
  resultCode: 'OK',
  durationMs: 1,
});

describe('AuditLog buffering', () => {
  it('writes full batches at once and the rest after the delay, in record order', async () => {
    const { db, batches } = fakeDb(() => false);
    const audit = new AuditLog(db, { batchSize: 3, flushDelayMs: 10 });
    for (let i = 0; i < 7; i++) audit.record(entry(i));
    await audit.flush();
    expect(batches.map((b) => b.map((r) => r.operation))).toEqual([
      ['op0', 'op1', 'op2'],
      ['op3', 'op4', 'op5'],
      ['op6'],
    ]);
    expect(audit.stats()).toEqual({ written: 7, dropped: 0 });
  });

  it('a failing database loses only the failed batch, never throws, and counts it', async () => {
    let failing = true;
    const { db, batches } = fakeDb(() => failing);
    const audit = new AuditLog(db, { batchSize: 2, flushDelayMs: 1 });
    audit.record(entry(0));
    audit.record(entry(1));
    await expect(audit.flush()).resolves.toBeUndefined();
    failing = false;
    audit.record(entry(2));
    await audit.flush();
    expect(batches).toEqual([[expect.objectContaining({ operation: 'op2' })]]);
    expect(audit.stats()).toEqual({ written: 1, dropped: 2 });
  });

  it('entries recorded while a batch is being written go together in the next one', async () => {
    const batches: Row[][] = [];
    let release!: () => void;
    let started!: () => void;
    const firstStarted = new Promise<void>((r) => (started = r));
    const gate = new Promise<void>((r) => (release = r));
    const query = async (_sql: string, params?: unknown[]) => {
      started();
      await gate;
      batches.push(JSON.parse(params![0] as string) as Row[]);
      return [];
    };
    const audit = new AuditLog({ query } as unknown as Pick<Database, 'prisma' | 'query'>, { flushDelayMs: 1 });
    audit.record(entry(0));
    await firstStarted;
    // Each one outlives flushDelayMs before the next comes (deliberate pacing): still one batch.
    for (let i = 1; i < 5; i++) {
      audit.record(entry(i));
      await new Promise((r) => setTimeout(r, 5));
    }
    release();
    await audit.flush();
    expect(batches.map((b) => b.map((r) => r.operation))).toEqual([['op0'], ['op1', 'op2', 'op3', 'op4']]);
  });

  it('holds at most maxBuffered entries while the database is slow', async () => {
    const { db } = fakeDb(() => false);
    const audit = new AuditLog(db, { batchSize: 100, flushDelayMs: 1000, maxBuffered: 5 });
    for (let i = 0; i < 8; i++) audit.record(entry(i));
    await audit.close();
    expect(audit.stats()).toEqual({ written: 5, dropped: 3 });
  });
});
