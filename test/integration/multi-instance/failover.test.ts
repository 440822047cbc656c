/**
 * Two real gateway processes share one PostgreSQL journal and one Redis bus in front of one ARI
 * simulator. A subscriber on the instance that does not ingest sees what the other journals;
 * SIGKILLing the ingesting instance moves ingestion to the survivor within the lease time, and
 * clients resuming there with their last cursor get exactly the journal after it: in order, none
 * twice, none missing, with what happened while nobody ingested marked `reconciled`.
 */
import type { Client as PgClient } from 'pg';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { connect, createTestDatabase, databaseUrl, dropTestDatabase } from '../store/local-postgres';
import { ari, ariChannels, comparable, journalAfter, journalMax, journalSettled, type JournalRow } from './direct';
import { spawnGateway, type GatewayProcess } from './gateway-process';
import { EventRecorder, gql, history, ingestOf, subscriptionCount, waitFor, type SeenEvent } from './graphql-client';
import { REDIS_URL, requireRedis } from './machine-services';
import { SoftChecks } from './soft-checks';

jest.setTimeout(60_000);

const BACKEND = 'pbx';
const APP = 'patchbay';
const FAILOVER_LIMIT_MS = 10_000;

let sim: AriSimulator;
let dbName: string | undefined;
let pg: PgClient | undefined;
const gateways: GatewayProcess[] = [];
const recorders: EventRecorder[] = [];

function gatewayConfig(): Record<string, unknown> {
  return {
    port: 0,
    host: '127.0.0.1',
    database: { url: databaseUrl(dbName!) },
    pubsub: { redis: REDIS_URL },
    backends: [
      {
        name: BACKEND,
        kind: 'ari',
        url: sim.url,
        username: 'asterisk',
        password: 'asterisk',
        app: APP,
        requestTimeoutMs: 2000,
      },
    ],
  };
}

function record(label: string, gw: GatewayProcess, after?: string): EventRecorder {
  const r = new EventRecorder(label, gw.wsUrl, after);
  recorders.push(r);
  return r;
}

const ORIGINATE = `mutation($input: OriginateInput!) { originate(input: $input) { channel { id nativeId } actionCursor } }`;
const HANGUP = `mutation($id: ID!) { hangupChannel(input: { id: $id }) { hungUpChannelId } }`;

function originateLocal(gw: GatewayProcess, id: string) {
  return gql<{ originate: { channel: { id: string; nativeId: string }; actionCursor: string } }>(gw.url, ORIGINATE, {
    input: { backend: BACKEND, endpoint: 'Local/wait@ari-test', app: APP, channelId: id, otherChannelId: `${id}-2` },
  });
}

/** Strictly increasing cursors: nothing twice, nothing out of order. */
function expectOrderedOnce(events: SeenEvent[], label: string): void {
  const bad = events.findIndex((e, i) => i > 0 && BigInt(e.cursor) <= BigInt(events[i - 1].cursor));
  if (bad > 0) throw new Error(`${label}: cursor ${events[bad].cursor} after ${events[bad - 1].cursor} (index ${bad})`);
}

function ofChannel(rows: JournalRow[], channel: string): Array<Pick<JournalRow, 'type' | 'reconciled' | 'state'>> {
  return rows
    .filter((r) => r.channel === channel)
    .map((r) => ({ type: r.type, reconciled: r.reconciled, state: r.state }));
}

function dumpLogs(): void {
  for (const g of gateways) {
    const lines = g.output().trim().split('\n');
    console.log(
      `--- ${g.name} (${g.instanceId}), last ${Math.min(40, lines.length)} log lines ---\n${lines.slice(-40).join('\n')}`,
    );
  }
}

beforeAll(async () => {
  await requireRedis();
  dbName = await createTestDatabase('multi');
  pg = await connect(dbName);
  // Port 0 once: the simulator then keeps that port for the whole run, across the gateways' deaths.
  sim = await startAriSimulator({ port: 0 });
  gateways.push(
    ...(await Promise.all([
      spawnGateway({ name: 'gw1', config: gatewayConfig() }),
      spawnGateway({ name: 'gw2', config: gatewayConfig() }),
    ])),
  );
}, 40_000);

afterAll(async () => {
  await Promise.allSettled(recorders.map((r) => r.dispose()));
  await Promise.allSettled(gateways.map((g) => g.stop(5000)));
  await sim?.close();
  await pg?.end();
  if (dbName) await dropTestDatabase(dbName);
}, 30_000);

test('a subscriber on the follower sees the leader’s journal; after SIGKILL of the leader the follower ingests and resumed clients miss nothing', async () => {
  try {
    await runScenario();
  } catch (e) {
    dumpLogs();
    throw e;
  }
});

async function runScenario(): Promise<void> {
  // Exactly one instance ingests (and has reconciled against the empty simulator).
  const [leader, follower] = await waitFor(
    async () => {
      const views = await Promise.all(gateways.map((g) => ingestOf(g.url, BACKEND)));
      const leaders = views.filter((v) => v.leader);
      if (leaders.length > 1) throw new Error(`two leaders: ${JSON.stringify(views)}`);
      const i = views.findIndex((v) => v.leader && v.connected && v.liveView);
      return i < 0 ? null : [gateways[i], gateways[1 - i]];
    },
    'one instance to lead and reconcile',
    10_000,
  );
  expect(await ingestOf(follower.url, BACKEND)).toMatchObject({
    leader: false,
    journaled: 0,
    reconciliations: 0,
    liveView: false,
  });

  // Live-only subscribers on both instances, in place before anything happens.
  const start = await journalMax(pg!);
  const onFollower = record('live subscriber on follower', follower);
  const onLeader = record('live subscriber on leader', leader);
  await waitFor(
    async () => (await subscriptionCount(follower.url)) === 1 && (await subscriptionCount(leader.url)) === 1,
    'subscriptions registered',
  );

  // Phase 1: channels originated through either instance, a hangup, inbound calls.
  await originateLocal(leader, 'via-leader');
  await originateLocal(follower, 'via-follower');
  const ringing = sim.inboundCall({ endpoint: 'PJSIP/alice', exten: '100', app: APP });
  const upBeforeKill = sim.inboundCall({ endpoint: 'PJSIP/bob', exten: '101', app: APP, answered: true });
  await waitFor(
    () => onFollower.events.some((e) => e.channel === 'via-follower' && e.state === 'UP'),
    'via-follower answered',
    5000,
  );
  expect(await gql(leader.url, HANGUP, { id: `${BACKEND}:via-follower` })).toEqual({
    hangupChannel: { hungUpChannelId: `${BACKEND}:via-follower` },
  });
  const settled1 = await journalSettled(pg!);
  await onFollower.reach(settled1);
  await onLeader.reach(settled1);

  const phase1 = await journalAfter(pg!, start);
  expect(onFollower.events.map(comparable)).toEqual(phase1.map(comparable));
  expect(onLeader.events.map(comparable)).toEqual(phase1.map(comparable));
  const types = (ch: string) => onFollower.events.filter((e) => e.channel === ch).map((e) => e.type);
  expect(types('via-leader')).toContain('ChannelCreated');
  expect(types('via-follower')).toEqual(expect.arrayContaining(['ChannelCreated', 'ChannelDestroyed']));
  expect(types(ringing)).toContain('ChannelCreated');
  expect(phase1.every((r) => !r.reconciled)).toBe(true);
  expect(await ingestOf(follower.url, BACKEND)).toMatchObject({ leader: false, journaled: 0 });

  // Phase 2: SIGKILL the leader while calls change under it.
  const cursorAtKill = onFollower.lastCursor!;
  sim.farEndHangup(upBeforeKill);
  const createdAtKill = sim.inboundCall({ endpoint: 'PJSIP/carol', exten: '102', app: APP, answered: true });
  // Killed mid-stream: once it has journaled part of that, with one more call just starting.
  await waitFor(async () => BigInt(await journalMax(pg!)) > BigInt(cursorAtKill), 'the leader journaling the changes', {
    timeoutMs: 5000,
    everyMs: 5,
  });
  const inFlight = sim.inboundCall({ endpoint: 'PJSIP/bob', exten: '104', app: APP, answered: true });
  leader.kill();
  const killedAt = Date.now();
  await leader.exited;
  const leaderLast = onLeader.lastCursor ?? start;

  // While nobody ingests: answer, hang up and create channels on the backend directly.
  await ari(sim.url, 'POST', `/channels/${ringing}/answer`);
  await ari(sim.url, 'DELETE', '/channels/via-leader');
  await ari(sim.url, 'POST', '/channels', {
    endpoint: 'Local/wait@ari-test',
    context: 'ari-test',
    extension: 'wait',
    priority: '1',
    channelId: 'outage',
    otherChannelId: 'outage-2',
  });
  await waitFor(
    async () => (await ariChannels(sim.url)).filter((c) => c.id.startsWith('outage') && c.state === 'Up').length === 2,
    'outage channels up',
  );
  const during = await ingestOf(follower.url, BACKEND);
  expect(during.leader).toBe(false); // else the changes above were not made while nobody ingested

  let failoverMs = 0;
  await waitFor(
    async () => {
      const v = await ingestOf(follower.url, BACKEND);
      if (v.leader && !failoverMs) failoverMs = Date.now() - killedAt;
      return v.leader && v.connected && v.liveView;
    },
    'follower to take over ingestion',
    { timeoutMs: FAILOVER_LIMIT_MS + 5000, everyMs: 100 },
  );
  console.log(`failover: follower became leader ${failoverMs} ms after SIGKILL of the leader (lease ttl 5000 ms)`);
  expect(failoverMs).toBeGreaterThan(0);
  expect(failoverMs).toBeLessThan(FAILOVER_LIMIT_MS);

  // Phase 3: live again, ingested by the survivor: a hangup of a channel in Stasis, one of a
  // channel that never entered Stasis (dialplan only), and a new inbound call.
  expect(await gql(follower.url, HANGUP, { id: `${BACKEND}:${ringing}` })).toEqual({
    hangupChannel: { hungUpChannelId: `${BACKEND}:${ringing}` },
  });
  expect(await gql(follower.url, HANGUP, { id: `${BACKEND}:outage` })).toEqual({
    hangupChannel: { hungUpChannelId: `${BACKEND}:outage` },
  });
  const afterTakeover = sim.inboundCall({ endpoint: 'PJSIP/dave', exten: '103', app: APP, answered: true });
  await waitFor(
    async () => (await journalAfter(pg!, cursorAtKill)).some((r) => r.channel === afterTakeover && r.state === 'UP'),
    'live events of the new leader',
  );
  const end = await journalSettled(pg!);
  await onFollower.reach(end);
  const all = await journalAfter(pg!, start);
  const sinceKill = await journalAfter(pg!, cursorAtKill);
  const checks = new SoftChecks();

  // The follower's subscriber never disconnected: it got the whole journal, reconciled included.
  await checks.that('the follower’s live subscriber got exactly the journal', () => {
    expect(all.filter((r) => r.category !== 'channel' || r.backend !== BACKEND)).toEqual([]);
    expectOrderedOnce(onFollower.events, onFollower.label);
    expect(onFollower.events.map(comparable)).toEqual(all.map(comparable));
    expect(onFollower.failure).toBeUndefined();
  });

  // Resumed clients on the survivor: the follower's cursor at the kill, and the dead leader's client's last cursor.
  for (const [label, after] of [
    ['resumed after the kill cursor', cursorAtKill],
    ['resumed after the killed leader’s last cursor', leaderLast],
  ] as const) {
    const resumed = record(label, follower, after);
    await resumed.reach(end);
    await new Promise((r) => setTimeout(r, 200)); // a duplicate would arrive right behind
    const expected = (await journalAfter(pg!, after)).map(comparable);
    await checks.that(`${label} (${after}) equals the journal after it`, () => {
      expectOrderedOnce(resumed.events, label);
      expect(resumed.events.map(comparable)).toEqual(expected);
    });
  }
  const paged = await history(follower.url, cursorAtKill);
  await checks.that('the events history after the kill cursor equals the journal', () =>
    expect(paged.map(comparable)).toEqual(sinceKill.map(comparable)),
  );

  // What happened while nobody ingested is there, marked reconciled; the rest is live.
  await checks.that('the answer made during the outage is reconciled, the later hangup live', () => {
    expect(ofChannel(sinceKill, ringing).slice(0, 2)).toEqual([
      { type: 'ChannelStateChanged', reconciled: true, state: 'UP' },
      { type: 'ChannelAnswered', reconciled: true, state: 'UP' },
    ]);
    expect(
      ofChannel(sinceKill, ringing)
        .slice(2)
        .filter((e) => e.reconciled),
    ).toEqual([]);
    expect(ofChannel(sinceKill, ringing).at(-1)).toMatchObject({ type: 'ChannelDestroyed', reconciled: false });
  });
  await checks.that('the hangup during the outage is reconciled', () => {
    for (const ch of ['via-leader', 'via-leader-2'])
      expect({ ch, events: ofChannel(sinceKill, ch) }).toEqual({
        ch,
        events: [{ type: 'ChannelDestroyed', reconciled: true, state: 'UP' }],
      });
  });
  await checks.that('channels created during the outage are reconciled, their later hangup live', () => {
    for (const ch of ['outage', 'outage-2']) {
      const events = ofChannel(sinceKill, ch);
      expect({ ch, first: events[0] }).toEqual({
        ch,
        first: { type: 'ChannelCreated', reconciled: true, state: 'UP' },
      });
      expect({ ch, last: events.at(-1) }).toMatchObject({ ch, last: { type: 'ChannelDestroyed', reconciled: false } });
    }
  });
  await checks.that('only the outage’s transitions are reconciled', () => {
    const mayBeReconciled = new Set([
      ringing,
      'via-leader',
      'via-leader-2',
      'outage',
      'outage-2',
      upBeforeKill,
      createdAtKill,
      inFlight,
    ]);
    expect([
      ...new Set(sinceKill.filter((r) => r.reconciled && !mayBeReconciled.has(r.channel!)).map((r) => r.channel)),
    ]).toEqual([]);
    expect(all.filter((r) => r.reconciled && BigInt(r.cursor) <= BigInt(cursorAtKill))).toEqual([]);
  });
  await checks.that('calls changing at the kill: each transition journaled once, live or reconciled', () => {
    expect(ofChannel(all, upBeforeKill).filter((e) => e.type === 'ChannelCreated')).toHaveLength(1);
    expect(ofChannel(all, upBeforeKill).filter((e) => e.type === 'ChannelDestroyed')).toHaveLength(1);
    expect(ofChannel(all, upBeforeKill).at(-1)?.type).toBe('ChannelDestroyed');
    expect(ofChannel(all, createdAtKill).filter((e) => e.type === 'ChannelCreated')).toHaveLength(1);
    expect(ofChannel(all, createdAtKill).at(-1)?.state).toBe('UP');
    expect(ofChannel(all, inFlight).filter((e) => e.type === 'ChannelCreated').length).toBeLessThanOrEqual(1);
    expect(ofChannel(all, inFlight).filter((e) => e.type === 'ChannelDestroyed').length).toBeLessThanOrEqual(1);
  });

  // The survivor's live view and the journal's last word agree with what the backend lists.
  const backendNow = await ariChannels(sim.url);
  // The call started at the kill may have failed to enter Stasis (no socket) and be gone.
  expect(
    backendNow
      .map((c) => c.id)
      .filter((id) => id !== inFlight)
      .sort(),
  ).toEqual([afterTakeover, createdAtKill].sort());
  const { channels } = await gql<{ channels: Array<{ nativeId: string; name: string; rawState: string }> }>(
    follower.url,
    '{ channels(filter: { backend: "pbx" }) { nativeId name rawState } }',
  );
  await checks.that('the survivor’s channels query equals the backend’s GET /channels', () => {
    expect(
      channels
        .map((c) => ({ id: c.nativeId, name: c.name, state: c.rawState }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    ).toEqual(backendNow);
  });
  await checks.that('the channels the journal last saw alive are the backend’s', () => {
    const lastWord = new Map<string, JournalRow>();
    for (const r of all) if (r.channel) lastWord.set(r.channel, r);
    expect(
      [...lastWord.values()]
        .filter((r) => r.type !== 'ChannelDestroyed')
        .map((r) => r.channel!)
        .sort(),
    ).toEqual(backendNow.map((c) => c.id));
  });
  const ingest = await ingestOf(follower.url, BACKEND);
  await checks.that('the survivor leads, with one reconciliation', () =>
    expect(ingest).toMatchObject({ leader: true, connected: true, liveView: true, reconciliations: 1 }),
  );

  checks.assertAll(
    () =>
      `journal after the kill cursor ${cursorAtKill} (killed leader's client last saw ${leaderLast}):\n${sinceKill.map((r) => `  ${r.cursor} ${r.channel} ${r.type}${r.reconciled ? ' reconciled' : ''} ${r.state}`).join('\n')}`,
  );
}
