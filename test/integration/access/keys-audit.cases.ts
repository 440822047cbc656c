/**
 * Keys over time (revoked, expired), the audit trail of mutations, and secrets: the KAZOO api
 * keys, the ARI credentials and API key secrets never show in answers, errors, the audit log or
 * the logs captured for the whole run (log-capture.ts).
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from '../../helpers/gateway-harness';
import { expectNoLeak } from './checks';
import { capturedLogs } from './log-capture';
import type { Tenants } from './tenants';

let t: Tenants;

/** A graphql-ws client that reports how its socket closed. */
function closingClient(key: string) {
  let closed: number | undefined;
  const client = createClient({
    url: t.h.gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    // Refusals are what these tests look for: reported through `closed`, not the console.
    onNonLazyError: () => undefined,
    connectionParams: { authorization: `Bearer ${key}` },
    on: { closed: (e) => void (closed = (e as { code: number }).code) },
  });
  let connected = false;
  client.on('connected', () => void (connected = true));
  return { client, closedWith: () => closed, isConnected: () => connected };
}

const ENTRY =
  'principalId principalName role operation target backend accountId arguments resultCode backendStatus durationMs';

async function auditOf(principalId: string): Promise<Array<Record<string, any>>> {
  await t.h.gateway.audit.flush();
  const page = await t.ok<{ auditLog: { edges: Array<{ node: Record<string, any> }> } }>(
    `query($p: String!) { auditLog(first: 100, filter: { principalId: $p }) { edges { node { ${ENTRY} } } } }`,
    { p: principalId },
  );
  return page.auditLog.edges.map((e) => e.node);
}

const idOf = (key: string) => key.split('_')[1];

export function keysAndAuditCases(tenants: () => Tenants): void {
  beforeAll(() => {
    t = tenants();
  });

  it('a revoked key: its open socket is closed with 4403 at once, then HTTP 401 UNAUTHENTICATED', async () => {
    const key = await t.h.keyFor('VIEWER', { accountIds: [t.a.accountId] });
    expect((await t.as(key, '{ me { role } }')).data).toEqual({ me: { role: 'VIEWER' } });
    const c = closingClient(key);
    await waitFor(() => c.isConnected(), 'connected');
    await t.h.gateway.keys.revoke(idOf(key));
    await waitFor(() => c.closedWith(), 'socket closed', 2000);
    expect(c.closedWith()).toBe(4403);
    const r = await t.as(key, '{ me { role } }');
    expect([r.status, r.errors]).toEqual([
      401,
      [{ message: 'the API key is unknown, revoked or expired', extensions: { code: 'UNAUTHENTICATED' } }],
    ]);
    // ...and a new socket with it is refused.
    const again = closingClient(key);
    await waitFor(() => again.closedWith(), 'refused socket closed', 2000);
    expect(again.closedWith()).toBe(4403);
    await Promise.all([c.client.dispose(), again.client.dispose()]);
  });

  it('an expired key answers 401 once its time is up', async () => {
    const made = await t.h.gateway.keys.create({
      name: 'short-lived',
      role: 'VIEWER',
      scope: { all: false, accountIds: [t.a.accountId] },
      expiresAt: new Date(Date.now() + 3000),
    });
    expect((await t.as(made.key, '{ me { role } }')).status).toBe(200);
    await waitFor(async () => (await t.as(made.key, '{ me { role } }')).status === 401, 'key expired', 8000);
    const r = await t.as(made.key, '{ me { role } }');
    expect(r.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('every mutation leaves an entry: principal, operation, target, redacted arguments, result code, backendStatus on failure', async () => {
    const key = await t.h.keyFor('SUPERVISOR', { accountIds: [t.a.accountId], backends: ['pbx1'] });
    const chan = await t.freshAriChannel(t.a);
    const call = await t.freshKazooCall(t.a);
    const ok = await t.as(key, 'mutation($id: ID!) { holdChannel(input: { id: $id }) { channel { id } } }', {
      id: chan,
    });
    expect(ok.errors).toBeUndefined();
    const failed = await t.as(
      key,
      'mutation { answerChannel(input: { id: "pbx1:no-such-channel" }) { channel { id } } }',
    );
    expect(failed.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', backend: 'pbx1', backendStatus: 404 });
    const secretArgs = await t.as(
      key,
      'mutation($id: ID!, $m: JSONObject!) { runMetaflow(input: { id: $id, metaflow: $m }) { channel { id } } }',
      {
        id: call,
        m: { module: 'say', data: { text: 'hi', password: 'hunter2-metaflow', apiKey: t.acme.apiKey } },
      },
    );
    const notFound = await t.as(key, 'mutation($id: ID!) { loginRecipient(input: { id: $id }) { recipient { id } } }', {
      id: t.b.agent,
    });
    expect(notFound.errors![0].extensions).toEqual({ code: 'NOT_FOUND' });

    const entries = await auditOf(idOf(key));
    const base = {
      principalId: idOf(key),
      principalName: 'test SUPERVISOR',
      role: 'SUPERVISOR',
      durationMs: expect.any(Number),
    };
    expect(entries).toEqual([
      {
        ...base,
        operation: 'holdChannel',
        target: chan,
        backend: 'pbx1',
        accountId: null,
        arguments: { input: { id: chan } },
        resultCode: 'OK',
        backendStatus: null,
      },
      {
        ...base,
        operation: 'answerChannel',
        target: 'pbx1:no-such-channel',
        backend: 'pbx1',
        accountId: null,
        arguments: { input: { id: 'pbx1:no-such-channel' } },
        resultCode: 'NOT_FOUND',
        backendStatus: 404,
      },
      {
        ...base,
        operation: 'runMetaflow',
        target: call,
        backend: 'kz',
        // The call's account, so the account's supervisors find the entry.
        accountId: t.a.accountId,
        arguments: {
          input: {
            id: call,
            metaflow: { module: 'say', data: { text: 'hi', password: '[redacted]', apiKey: '[redacted]' } },
          },
        },
        resultCode: secretArgs.errors ? secretArgs.errors[0].extensions!.code : 'OK',
        backendStatus: secretArgs.errors ? (secretArgs.errors[0].extensions!.backendStatus ?? null) : null,
      },
      {
        ...base,
        operation: 'loginRecipient',
        target: t.b.agent,
        backend: 'kzb',
        accountId: t.b.accountId,
        arguments: { input: { id: t.b.agent } },
        resultCode: 'NOT_FOUND',
        backendStatus: null,
      },
    ]);
  });

  it('a mutation refused for its role is audited as FORBIDDEN', async () => {
    const viewer = await t.h.keyFor('VIEWER', { accountIds: [t.a.accountId], backends: ['pbx1'] });
    const r = await t.as(viewer, 'mutation($id: ID!) { holdChannel(input: { id: $id }) { channel { id } } }', {
      id: t.a.ariChannel,
    });
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    await t.h.gateway.audit.flush();
    expect((await auditOf(idOf(viewer))).map((e) => [e.operation, e.target, e.resultCode])).toEqual([
      ['holdChannel', t.a.ariChannel, 'FORBIDDEN'],
    ]);
  });

  it('auditLog: a SUPERVISOR sees its own scope only; AGENT and VIEWER are refused', async () => {
    const bKey = await t.h.keyFor('SUPERVISOR', { accountIds: [t.b.accountId], backends: ['pbx2'] });
    const bChan = await t.freshAriChannel(t.b);
    expect(
      (await t.as(bKey, 'mutation($id: ID!) { holdChannel(input: { id: $id }) { channel { id } } }', { id: bChan }))
        .errors,
    ).toBeUndefined();
    expect(
      (
        await t.as(
          bKey,
          'mutation($id: ID!) { setRecipientStatus(input: { id: $id, status: AWAY }) { recipient { id } } }',
          { id: t.b.agent },
        )
      ).errors,
    ).toBeUndefined();
    await t.h.gateway.audit.flush();
    const seenByA = await t.as(
      t.keys.SUPERVISOR,
      '{ auditLog(first: 500) { edges { node { principalId target backend accountId arguments } } } }',
    );
    expect(seenByA.errors).toBeUndefined();
    const entries = (seenByA.data!.auditLog.edges as Array<{ node: Record<string, any> }>).map((e) => e.node);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.principalId === idOf(bKey))).toEqual([]);
    for (const e of entries) expect(e.backend === 'pbx1' || e.accountId === t.a.accountId).toBe(true);
    const seenByB = (
      await t.as(bKey, '{ auditLog(first: 500) { edges { node { principalId operation } } } }')
    ).data!.auditLog.edges.map((e: { node: Record<string, any> }) => e.node) as Array<Record<string, any>>;
    expect(seenByB.filter((e) => e.principalId === idOf(bKey)).map((e) => e.operation)).toEqual([
      'holdChannel',
      'setRecipientStatus',
    ]);
    for (const role of ['AGENT', 'VIEWER'] as const) {
      const r = await t.as(t.keys[role], '{ auditLog { edges { node { operation } } } }');
      expect([role, r.errors?.map((e) => e.extensions?.code)]).toEqual([role, ['FORBIDDEN']]);
    }
  });

  it('secrets never appear in `backends`, errors, the audit log or the captured logs', async () => {
    const apiKeySecrets = [...Object.values(t.keys), t.h.adminKey].flatMap((k) => [k, k.split('_').slice(2).join('_')]);
    const secrets = [
      t.acme.apiKey,
      t.globex.apiKey,
      'asterisk:asterisk',
      Buffer.from('asterisk:asterisk').toString('base64'),
      'hunter2-metaflow',
      ...apiKeySecrets,
    ];
    const backends = await t.ok<{ backends: unknown[] }>(
      '{ backends { name kind url health { connected lastError lastConnectedAt } ingest { leader } } }',
    );
    expectNoLeak(backends, secrets, 'backends');
    for (const b of backends.backends as Array<{ url: string }>) expect(b.url).not.toMatch(/\/\/[^/]*@/);
    // Errors: a bad key, a wrong-format header, a backend failure.
    const errors = [
      await t.as(`${t.h.adminKey}x`, '{ me { id } }'),
      await t.h.gql('{ me { id } }', undefined, {
        authorization: `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}`,
      }),
      await t.as(
        t.keys.SUPERVISOR,
        'mutation { answerChannel(input: { id: "pbx1:no-such-channel" }) { channel { id } } }',
      ),
    ];
    expectNoLeak(errors, secrets, 'errors');
    await t.h.gateway.audit.flush();
    const audit = await t.ok('{ auditLog(first: 500) { edges { node { arguments target principalName } } } }');
    expectNoLeak(audit, secrets, 'audit log');
    const logs = capturedLogs();
    expect(logs.length).toBeGreaterThan(0);
    expectNoLeak(logs, secrets, 'logs');
  });
}
