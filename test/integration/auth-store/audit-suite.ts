/** AuditLog against a real database (run for PGlite and PostgreSQL by the *.test.ts files). */
import { AuditLog, auditScopeFilter, type AuditEntry } from '../../../src/auth/audit';
import { ErrorCode } from '../../../src/domain/errors';
import type { Database } from '../../../src/store/database';
import { resetAuthTables } from './databases';

const A1 = '0123456789abcdef0123456789abcdef';
const A2 = 'fedcba9876543210fedcba9876543210';
const T0 = Date.parse('2026-11-23T12:00:00.000Z');

function entry(i: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: new Date(T0 + i * 1000),
    principalId: 'abcdefgh23',
    principalName: 'ops desk',
    role: 'SUPERVISOR',
    operation: 'hangupChannel',
    target: `pbx1:chan-${i}`,
    backend: 'pbx1',
    accountId: null,
    arguments: { id: `pbx1:chan-${i}` },
    resultCode: 'OK',
    backendStatus: 204,
    durationMs: 12,
    ...over,
  };
}

export function auditSuite(getDb: () => Database): void {
  let audit: AuditLog;
  const db = (): Database => getDb();

  beforeEach(async () => {
    await resetAuthTables(db());
    audit = new AuditLog(db(), { flushDelayMs: 5 });
  });
  afterEach(() => audit.close());

  it('records entries with secrets redacted and reads them back in order, every field', async () => {
    audit.record(
      entry(0, {
        operation: 'createWebsocketSession',
        target: null,
        backend: 'kz1',
        accountId: A1,
        arguments: { input: { url: 'wss://x', credentials: { password: 'p' }, Token: 't' } },
        resultCode: 'BACKEND_UNAVAILABLE',
        backendStatus: null,
        durationMs: 5000.4,
      }),
    );
    audit.record(entry(1, { arguments: undefined }));
    await audit.flush();
    const page = await audit.query({ first: 10 });
    expect(page.hasNextPage).toBe(false);
    expect(page.entries).toEqual([
      {
        seq: expect.stringMatching(/^[1-9][0-9]*$/),
        at: new Date(T0),
        principalId: 'abcdefgh23',
        principalName: 'ops desk',
        role: 'SUPERVISOR',
        operation: 'createWebsocketSession',
        target: null,
        backend: 'kz1',
        accountId: A1,
        arguments: { input: { url: 'wss://x', credentials: '[redacted]', Token: '[redacted]' } },
        resultCode: 'BACKEND_UNAVAILABLE',
        backendStatus: null,
        durationMs: 5000,
      },
      expect.objectContaining({ operation: 'hangupChannel', target: 'pbx1:chan-1', arguments: {}, backendStatus: 204 }),
    ]);
    expect(BigInt(page.entries[1].seq)).toBeGreaterThan(BigInt(page.entries[0].seq));
    const [raw] = await db().query<{ arguments: unknown }>('SELECT arguments FROM audit_log ORDER BY seq LIMIT 1');
    expect(JSON.stringify(raw.arguments)).not.toMatch(/"p"|"t"/);
    expect(audit.stats()).toEqual({ written: 2, dropped: 0 });
  });

  it('keeps entries whose arguments hold text PostgreSQL refuses (NUL, a lone surrogate)', async () => {
    // What a fuzzer sends as GraphQL strings; jsonb refuses both, and an audit entry must not be lost.
    audit.record(
      entry(0, {
        operation: 'moveChannel',
        target: 'pbx1:a\u0000b',
        arguments: { input: { app: 'x\u0000y', appArgs: 'lone \ud800 half', ['k\u0000']: 1 } },
      }),
    );
    await audit.flush();
    const page = await audit.query({ first: 10 });
    expect(page.entries.map((e) => [e.target, e.arguments])).toEqual([
      ['pbx1:ab', { input: { app: 'xy', appArgs: 'lone \ufffd half', k: 1 } }],
    ]);
    expect(audit.stats()).toEqual({ written: 1, dropped: 0 });
  });

  it('writes in batches, keeping record order, and pages by cursor', async () => {
    const batched = new AuditLog(db(), { batchSize: 7, flushDelayMs: 5 });
    for (let i = 0; i < 25; i++) batched.record(entry(i));
    await batched.close();
    const seen: string[] = [];
    let after: string | undefined;
    const pages: boolean[] = [];
    for (;;) {
      const page = await audit.query({ after, first: 10 });
      seen.push(...page.entries.map((e) => e.target!));
      pages.push(page.hasNextPage);
      if (!page.hasNextPage) break;
      after = page.entries[page.entries.length - 1].seq;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `pbx1:chan-${i}`));
    expect(pages).toEqual([true, true, false]);
    const last = await audit.query({ after, first: 10 });
    expect(last.entries).toHaveLength(5);
    const beyond = await audit.query({ after: last.entries[4].seq, first: 10 });
    expect(beyond).toEqual({ entries: [], hasNextPage: false });
  });

  it('filters by principal, operation, backend, time window and SUPERVISOR scope (accounts OR backends)', async () => {
    audit.record(entry(0, { backend: 'pbx1' }));
    audit.record(entry(1, { backend: 'kz1', accountId: A1, principalId: 'other00001', operation: 'loginRecipient' }));
    audit.record(entry(2, { backend: 'kz1', accountId: A2 }));
    audit.record(entry(3, { backend: 'pbx2' }));
    audit.record(entry(4, { backend: null, accountId: null, operation: 'createApiKey' }));
    await audit.flush();
    const targets = async (filter: Parameters<AuditLog['query']>[0]['filter']): Promise<number[]> =>
      (await audit.query({ first: 100, filter })).entries.map((e) => Number(e.target!.replace('pbx1:chan-', '')));

    expect(await targets({ principalId: 'other00001' })).toEqual([1]);
    expect(await targets({ operation: 'hangupChannel' })).toEqual([0, 2, 3]);
    expect(await targets({ backend: 'kz1' })).toEqual([1, 2]);
    expect(await targets({ since: new Date(T0 + 1000), until: new Date(T0 + 3000) })).toEqual([1, 2]);
    expect(await targets({ accountIds: [A1], backends: ['pbx2'] })).toEqual([1, 3]);
    expect(await targets({ accountIds: [A2] })).toEqual([2]);
    expect(await targets({ backends: ['pbx1'] })).toEqual([0]);
    expect(await targets({ accountIds: [], backends: [] })).toEqual([]);
    expect(await targets({ accountIds: [A1, A2], operation: 'hangupChannel' })).toEqual([2]);

    const scoped = auditScopeFilter({ scope: { all: false, accountIds: [A2], backends: ['pbx1'] } });
    expect(await targets(scoped)).toEqual([0, 2]);
    expect(await targets(auditScopeFilter({ scope: { all: true, accountIds: [], backends: [] } }))).toEqual([
      0, 1, 2, 3, 4,
    ]);
  });

  it('refuses a bad page size or cursor with BAD_USER_INPUT', async () => {
    for (const first of [0, 1001, 1.5]) {
      await expect(audit.query({ first })).rejects.toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        message: 'first must be an integer from 1 to 1000',
      });
    }
    await expect(audit.query({ first: 1, after: '07' })).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
    await expect(audit.query({ first: 1, after: 'abc' })).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
  });

  it('never throws into the caller: malformed entries and entries after close are dropped and counted', async () => {
    expect(() => audit.record({ ...entry(0), principalId: undefined as never })).not.toThrow();
    expect(() => audit.record(null as never)).not.toThrow();
    audit.record(entry(1));
    await audit.close();
    audit.record(entry(2));
    expect(audit.stats()).toEqual({ written: 1, dropped: 3 });
    expect((await audit.query({ first: 10 })).entries.map((e) => e.target)).toEqual(['pbx1:chan-1']);
  });
}
