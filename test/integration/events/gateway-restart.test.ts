/**
 * A gateway instance stops and a new one starts on the same PGlite data dir and the same
 * simulator: a client resuming with its old cursor gets what was journaled before the restart,
 * then the reconcile against the journal's last state, then live events; channels that survived
 * get no second ChannelCreated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { startHarness, subscribe, waitFor, type Harness } from '../../helpers/gateway-harness';
import { originate } from '../../helpers/channels';
import {
  CHANNEL_EVENT_FIELDS,
  fromJournal,
  fromPayload,
  inboundCallCycle,
  journalSince,
  quiesce,
  seenThrough,
  strictlyIncreasing,
  waitForLiveView,
} from './event-helpers';

const SUB = `subscription($after: String) { channelEvents(after: $after) { ${CHANNEL_EVENT_FIELDS} } }`;
const AUTH = { authorization: `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}` };

async function viewIds(h: Harness): Promise<string[]> {
  const r = await h.gql('{ channels { nativeId rawState } }');
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return (r.data!.channels as Array<{ nativeId: string; rawState: string }>)
    .map((c) => `${c.nativeId}=${c.rawState}`)
    .sort();
}

async function simIds(sim: AriSimulator): Promise<string[]> {
  const res = await fetch(`${sim.url}/channels`, { headers: AUTH });
  return ((await res.json()) as Array<{ id: string; state: string }>).map((c) => `${c.id}=${c.state}`).sort();
}

describe('gateway restart on the same data dir', () => {
  let dataDir: string;
  let sim: AriSimulator;
  let h1: Harness | undefined;
  let h2: Harness | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'patchbay-restart-'));
    sim = await startAriSimulator({ port: 0 });
    h1 = await startHarness({ dataDir, sims: [sim] });
    await waitForLiveView(h1);
  });
  afterAll(async () => {
    await h1?.close();
    await h2?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a client resuming with its old cursor gets the history from before the restart plus what came after; survivors get no duplicate ChannelCreated', async () => {
    const a = h1!;
    const start = await quiesce(a);
    const survivorIn = sim.inboundCall({ endpoint: 'PJSIP/alice', exten: '100', app: 'patchbay', answered: true });
    await originate(a, {
      backend: 'pbx1',
      endpoint: 'Local/wait@ari-test',
      extension: 'wait',
      context: 'ari-test',
      priority: 1,
      channelId: 'surv-dp',
    });
    await originate(a, {
      backend: 'pbx1',
      endpoint: 'Local/wait@ari-test',
      extension: 'wait',
      context: 'ari-test',
      priority: 1,
      channelId: 'doomed',
    });
    await waitFor(async () => (await viewIds(a)).filter((c) => c.endsWith('=Up')).length === 5, 'five channels up');

    const client1 = a.wsClient();
    const sub1 = subscribe(client1, SUB, { after: start });
    const seen1 = await seenThrough(sub1, await quiesce(a));
    // The client goes away; the first instance journals more before it stops.
    await client1.dispose();
    const lastSeen = seen1[seen1.length - 1].cursor;
    await inboundCallCycle(sim, 'PJSIP/carol');
    await inboundCallCycle(sim, 'PJSIP/dave');
    const stoppedAt = await quiesce(a);
    expect(BigInt(stoppedAt) > BigInt(lastSeen)).toBe(true);
    await a.close();
    h1 = undefined;

    // While no gateway runs: one call ends, another starts.
    sim.farEndHangup('doomed');
    const res = await fetch(
      `${sim.url}/channels?${new URLSearchParams({ endpoint: 'Local/wait@ari-test', extension: 'wait', context: 'ari-test', priority: '1', channelId: 'born' })}`,
      { method: 'POST', headers: AUTH },
    );
    expect(res.status).toBe(200);
    await waitFor(
      async () =>
        (await simIds(sim)).join() ===
        [`${survivorIn}=Up`, 'born;2=Up', 'born=Up', 'surv-dp;2=Up', 'surv-dp=Up'].sort().join(),
      'simulator changed while the gateway was down',
    );

    h2 = await startHarness({ dataDir, sims: [sim] });
    const b = h2;
    await waitForLiveView(b);
    const sub2 = subscribe(b.wsClient(), SUB, { after: lastSeen });
    await quiesce(b);
    const liveId = await inboundCallCycle(sim, 'PJSIP/bob');
    const end = await quiesce(b);
    const seen2 = await seenThrough(sub2, end);

    const journal = (await journalSince(b, lastSeen)).map(fromJournal);
    expect(seen2).toEqual(journal);
    expect(strictlyIncreasing(seen2.map((e) => e.cursor))).toBe(true);
    // History from before the restart comes first, untouched.
    const beforeStop = journal.filter((e) => BigInt(e.cursor) <= BigInt(stoppedAt));
    expect(beforeStop.length).toBeGreaterThan(0);
    expect(beforeStop.every((e) => !e.reconciled)).toBe(true);
    expect(seen2.slice(0, beforeStop.length)).toEqual(beforeStop);

    // Then the reconcile against the journal's last state, then live events.
    const afterStop = journal.slice(beforeStop.length);
    const reconciled = afterStop.filter((e) => e.reconciled);
    expect(afterStop.slice(0, reconciled.length)).toEqual(reconciled);
    expect(reconciled.map((e) => [e.type, e.channelId])).toEqual([
      ['ChannelCreated', 'pbx1:born'],
      ['ChannelCreated', 'pbx1:born;2'],
      ['ChannelDestroyed', 'pbx1:doomed'],
      ['ChannelDestroyed', 'pbx1:doomed;2'],
    ]);
    const live = afterStop.slice(reconciled.length);
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((e) => !e.reconciled && e.channelId === `pbx1:${liveId}`)).toBe(true);
    expect(live[0].type).toBe('ChannelCreated');
    for (const survivor of [`pbx1:${survivorIn}`, 'pbx1:surv-dp', 'pbx1:surv-dp;2']) {
      expect(afterStop.filter((e) => e.channelId === survivor)).toEqual([]);
    }

    // The whole story across both instances, as two clients saw it, is the journal from the start.
    const whole = (await journalSince(b, start)).map(fromJournal);
    expect([...sub1.items.map((i) => fromPayload(i)), ...seen2]).toEqual(whole);
    expect(whole.filter((e) => e.type === 'ChannelCreated' && e.channelId === 'pbx1:surv-dp')).toHaveLength(1);

    sub2.dispose();
  });

  // The old instance left a channel in the Stasis app, so Asterisk kept the app object, and the
  // new socket's subscribeAll=true does not restore subscribe-all on it (docs/wire/ari.md §4.1):
  // unless ingest re-subscribes, only channels in Stasis are heard from afterwards.
  it("after the restart the new instance still hears every channel: a new call's whole lifecycle is journaled and the live view equals the backend", async () => {
    const b = h2!;
    const from = await quiesce(b);
    const res = await fetch(
      `${sim.url}/channels?${new URLSearchParams({ endpoint: 'Local/wait@ari-test', extension: 'wait', context: 'ari-test', priority: '1', channelId: 'after-restart' })}`,
      { method: 'POST', headers: AUTH },
    );
    expect(res.status).toBe(200);
    const inbound = await inboundCallCycle(sim, 'PJSIP/bob');
    await waitFor(async () => (await simIds(sim)).includes('after-restart=Up'), 'after-restart up');
    await quiesce(b);
    const journal = (await journalSince(b, from)).map(fromJournal);
    const typesOf = (id: string) => journal.filter((e) => e.channelId === `pbx1:${id}`).map((e) => e.type);
    expect(typesOf('after-restart')[0]).toBe('ChannelCreated');
    expect(typesOf(inbound)[0]).toBe('ChannelCreated');
    expect(typesOf(inbound)[typesOf(inbound).length - 1]).toBe('ChannelDestroyed');

    sim.resetRequestLog();
    const view = await viewIds(b);
    expect(sim.requests).toEqual([]);
    expect(view).toEqual(await simIds(sim));
    expect(view).toContain('after-restart=Up');
    const status = await b.gql('{ backends { ingest { leader reconciliations liveView } } }');
    expect(status.data!.backends).toEqual([{ ingest: { leader: true, reconciliations: 1, liveView: true } }]);
  });
});
