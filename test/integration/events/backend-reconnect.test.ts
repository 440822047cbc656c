/**
 * A backend's event socket dies mid-stream (the simulator is restarted while calls exist): after
 * the reconnect, ingest reconciles, the missed transitions are journaled as `reconciled: true`
 * events after every live one, subscribers see exactly the journal, and the live view equals
 * the new backend.
 */
import { knownChannels } from '../../../src/events/journal-state';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { startHarness, subscribe, waitFor, type Harness } from '../../helpers/gateway-harness';
import { originate } from '../../helpers/channels';
import {
  CHANNEL_EVENT_FIELDS,
  driveContinuously,
  fromJournal,
  inboundCallCycle,
  journalSince,
  quiesce,
  seenThrough,
  waitForLiveView,
} from './event-helpers';
import { startTcpForwarder, type TcpForwarder } from './tcp-forwarder';

const SUB = `subscription($after: String) { channelEvents(after: $after) { ${CHANNEL_EVENT_FIELDS} } }`;
const STATUS = '{ backends { name health { connected } ingest { leader journaled reconciliations liveView } } }';
const AUTH = { authorization: `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}` };
const byNumericId = new Intl.Collator('en', { numeric: true }).compare;

async function ingestOf(h: Harness) {
  const r = await h.gql(STATUS);
  expect(r.errors).toBeUndefined();
  return r.data!.backends[0] as {
    health: { connected: boolean };
    ingest: { leader: boolean; journaled: number; reconciliations: number; liveView: boolean };
  };
}

async function simChannels(
  ariUrl: string,
): Promise<Array<{ id: string; name: string; state: string; creationtime: string }>> {
  const res = await fetch(`${ariUrl}/channels`, { headers: AUTH });
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

async function ariOriginate(ariUrl: string, params: Record<string, string>): Promise<void> {
  const res = await fetch(`${ariUrl}/channels?${new URLSearchParams(params)}`, { method: 'POST', headers: AUTH });
  expect(res.status).toBe(200);
}

async function viewIds(h: Harness): Promise<string[]> {
  const r = await h.gql('{ channels { nativeId rawState } }');
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return (r.data!.channels as Array<{ nativeId: string; rawState: string }>)
    .map((c) => `${c.nativeId}=${c.rawState}`)
    .sort();
}

async function simIds(ariUrl: string): Promise<string[]> {
  return (await simChannels(ariUrl)).map((c) => `${c.id}=${c.state}`).sort();
}

describe('backend event socket killed mid-stream, simulator restarted on the same port', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await waitForLiveView(h);
  });
  afterAll(() => h?.close());

  it('reconciles: ChannelDestroyed (reconciled) for every channel gone, reconciliations +1, subscribers see exactly the journal, live view equals the new list', async () => {
    const start = await quiesce(h);
    const sub = subscribe(h.wsClient(), SUB, { after: start });
    // Calls that exist when the socket dies: two in Stasis, one Local pair in the dialplan.
    const inbound = [
      h.sims[0].inboundCall({ endpoint: 'PJSIP/alice', exten: '100', app: 'patchbay', answered: true }),
      h.sims[0].inboundCall({ endpoint: 'PJSIP/bob', exten: '101', app: 'patchbay' }),
    ];
    await originate(h, {
      backend: 'pbx1',
      endpoint: 'Local/wait@ari-test',
      extension: 'wait',
      context: 'ari-test',
      priority: 1,
      channelId: 'dp-1',
    });
    await waitFor(async () => (await viewIds(h)).length === 4, 'four channels in the live view');
    const before = await ingestOf(h);
    expect(before.ingest).toMatchObject({ leader: true, liveView: true });

    // Kill the socket while events are flowing.
    let sim: AriSimulator | null = h.sims[0];
    const port = sim.port;
    const driver = driveContinuously(async () => {
      try {
        if (sim) await inboundCallCycle(sim, 'PJSIP/carol');
      } catch {
        // The simulator is going away under the driver.
      }
    });
    await waitFor(
      async () => BigInt((await h.gateway.events.journal.latestCursor()) ?? '0') > BigInt(start) + 30n,
      'events flowing',
    );
    const dying = sim;
    sim = null;
    await dying.close();
    await driver.stop();
    await waitFor(() => !h.backends[0].health().connected, 'event socket down');

    // While the stream is down the view is not trusted: queries go to the backend, which is gone.
    const down = await ingestOf(h);
    expect(down).toMatchObject({ health: { connected: false }, ingest: { leader: true, liveView: false } });
    const stale = await h.gql('{ channels { id } }');
    expect(stale.errors?.map((e) => e.extensions?.code)).toEqual(['BACKEND_UNAVAILABLE']);
    expect(stale.data?.channels ?? []).toEqual([]);

    await quiesce(h);
    const known = await knownChannels(h.gateway.database, 'pbx1');
    expect(known.map((c) => c.nativeId)).toEqual(expect.arrayContaining([...inbound, 'dp-1', 'dp-1;2']));
    const beforeReconnect = await h.gateway.events.journal.latestCursor();

    const fresh = await startAriSimulator({ port });
    h.sims[0] = fresh;
    await waitFor(
      async () => (await ingestOf(h)).ingest.reconciliations === before.ingest.reconciliations + 1,
      'one more reconciliation',
    );
    await waitForLiveView(h);
    const end = await quiesce(h);

    const journal = await journalSince(h, start);
    const reconciled = journal.filter((e) => e.reconciled);
    // Reconciled events come after every live event of the old stream, in known-channel order.
    expect(journal.slice(journal.length - reconciled.length)).toEqual(reconciled);
    expect(BigInt(reconciled[0].cursor) > BigInt(beforeReconnect!)).toBe(true);
    const sortedKnown = [...known].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byNumericId(a.nativeId, b.nativeId),
    );
    expect(reconciled.map((e) => [e.type, e.ids.channelId, e.raw])).toEqual(
      sortedKnown.map((c) => ['ChannelDestroyed', c.nativeId, {}]),
    );
    for (const e of reconciled) expect(e).toMatchObject({ causeCode: null, causeText: null });

    // The subscriber that stayed connected saw exactly the journal, reconciled flags included.
    expect(await seenThrough(sub, end)).toEqual(journal.map(fromJournal));
    expect((await seenThrough(sub, end)).filter((e) => e.reconciled).map((e) => e.type)).toEqual(
      known.map(() => 'ChannelDestroyed'),
    );

    // Live view equals the new backend, and answering makes no backend request.
    fresh.resetRequestLog();
    expect(await viewIds(h)).toEqual([]);
    expect(fresh.requests).toEqual([]);
    const id = fresh.inboundCall({ endpoint: 'PJSIP/dave', exten: '200', app: 'patchbay', answered: true });
    await waitFor(
      async () => (await viewIds(h)).join() === (await simIds(fresh.url)).join() && (await viewIds(h)).length === 1,
      'new call in the view',
    );
    expect(await viewIds(h)).toEqual([`${id}=Up`]);
    const after = await ingestOf(h);
    expect(after).toMatchObject({
      health: { connected: true },
      ingest: { leader: true, liveView: true, reconciliations: before.ingest.reconciliations + 1 },
    });
    sub.dispose();
  });
});

describe('backend comes back with other channels (prepared before the socket returns)', () => {
  let h: Harness;
  let forwarder: TcpForwarder;
  let first: AriSimulator;
  let second: AriSimulator | undefined;
  beforeAll(async () => {
    first = await startAriSimulator({ port: 0 });
    forwarder = await startTcpForwarder(first.port);
    h = await startHarness({ sims: [{ ...first, url: forwarder.ariUrl }] });
    await waitForLiveView(h);
  });
  afterAll(async () => {
    await h?.close();
    await forwarder?.close();
    await first?.close();
    await second?.close();
  });

  it('new channels come as reconciled ChannelCreated, a changed one as ChannelStateChanged + ChannelAnswered, gone ones as ChannelDestroyed; unchanged survivors produce nothing', async () => {
    const start = await quiesce(h);
    const sub = subscribe(h.wsClient(), SUB, { after: start });
    await originate(h, {
      backend: 'pbx1',
      endpoint: 'Local/wait@ari-test',
      extension: 'wait',
      context: 'ari-test',
      priority: 1,
      channelId: 'keep-1',
    });
    const created = await h.gql('mutation($i: CreateChannelInput!) { createChannel(input: $i) { channel { id } } }', {
      i: { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay', channelId: 'chg-1' },
    });
    expect(created.errors).toBeUndefined();
    const gone = first.inboundCall({ endpoint: 'PJSIP/bob', exten: '100', app: 'patchbay', answered: true });
    await waitFor(
      async () => (await viewIds(h)).join() === ['chg-1=Down', 'keep-1;2=Up', 'keep-1=Up', `${gone}=Up`].sort().join(),
      'first backend settled in the view',
    );
    await quiesce(h);
    const r0 = (await ingestOf(h)).ingest.reconciliations;

    forwarder.down();
    await waitFor(() => !h.backends[0].health().connected, 'event socket down');
    await first.close();
    second = await startAriSimulator({ port: 0 });
    await ariOriginate(second.url, {
      endpoint: 'Local/wait@ari-test',
      extension: 'wait',
      context: 'ari-test',
      priority: '1',
      channelId: 'keep-1',
    });
    await ariOriginate(second.url, {
      endpoint: 'Local/wait@ari-test',
      extension: 'wait',
      context: 'ari-test',
      priority: '1',
      channelId: 'chg-1',
    });
    await ariOriginate(second.url, {
      endpoint: 'Local/wait@ari-test',
      extension: 'wait',
      context: 'ari-test',
      priority: '1',
      channelId: 'new-1',
    });
    await waitFor(
      async () => (await simChannels(second!.url)).filter((c) => c.state === 'Up').length === 6,
      'second backend: three Local pairs up',
    );
    const actual = await simChannels(second.url);
    const lastLive = await h.gateway.events.journal.latestCursor();

    forwarder.up(second.port);
    await waitFor(async () => (await ingestOf(h)).ingest.reconciliations === r0 + 1, 'one more reconciliation');
    await waitForLiveView(h);
    const end = await quiesce(h);

    const journal = await journalSince(h, lastLive);
    expect(journal.every((e) => e.reconciled)).toBe(true);
    const order = [...actual]
      .sort((a, b) => Date.parse(a.creationtime) - Date.parse(b.creationtime) || byNumericId(a.id, b.id))
      .map((c) => c.id);
    const perChannel: Record<string, string[]> = {
      'keep-1': [],
      'keep-1;2': [],
      'chg-1': ['ChannelStateChanged', 'ChannelAnswered'],
      'chg-1;2': ['ChannelCreated'],
      'new-1': ['ChannelCreated'],
      'new-1;2': ['ChannelCreated'],
    };
    const expected = [...order.flatMap((id) => perChannel[id].map((t) => [t, id])), ['ChannelDestroyed', gone]];
    expect(journal.map((e) => [e.type, e.ids.channelId])).toEqual(expected);
    const changed = journal.find((e) => e.type === 'ChannelStateChanged')!;
    expect(changed).toMatchObject({
      previousState: 'DOWN',
      state: 'UP',
      raw: {},
      channel: { nativeId: 'chg-1', state: 'UP' },
    });

    // The subscriber saw everything, each event once, reconciled ones flagged.
    const all = (await journalSince(h, start)).map(fromJournal);
    expect(await seenThrough(sub, end)).toEqual(all);
    expect(
      all.filter((e) => e.type === 'ChannelCreated' && e.channelId === 'pbx1:keep-1').map((e) => e.reconciled),
    ).toEqual([false]);

    second.resetRequestLog();
    const view = await viewIds(h);
    expect(second.requests).toEqual([]);
    expect(view).toEqual(await simIds(second.url));
    sub.dispose();
  });

  // A call sits in the Stasis app when the socket drops, so Asterisk keeps the app object, and
  // the reconnect's subscribeAll=true does not restore subscribe-all on it (docs/wire/ari.md §4.1):
  // unless the gateway re-subscribes, only channels in Stasis are heard from afterwards.
  it('a socket drop and reconnect to the same backend while a call sits in Stasis: every channel is still heard from afterwards', async () => {
    const sim = second!;
    const held = sim.inboundCall({ endpoint: 'PJSIP/carol', exten: '300', app: 'patchbay', answered: true });
    await waitFor(async () => (await viewIds(h)).includes(`${held}=Up`), 'call in Stasis');
    const r0 = (await ingestOf(h)).ingest.reconciliations;
    forwarder.down();
    await waitFor(() => !h.backends[0].health().connected, 'event socket down');
    forwarder.up(sim.port);
    await waitFor(async () => (await ingestOf(h)).ingest.reconciliations === r0 + 1, 'one more reconciliation');
    await waitForLiveView(h);
    const from = await quiesce(h);

    // A dialplan call (never in Stasis) and a far-end hangup of a dialplan channel.
    await ariOriginate(sim.url, {
      endpoint: 'Local/wait@ari-test',
      extension: 'wait',
      context: 'ari-test',
      priority: '1',
      channelId: 'post-drop',
    });
    sim.farEndHangup('new-1');
    await waitFor(async () => (await simIds(sim.url)).includes('post-drop=Up'), 'post-drop up');
    await quiesce(h);
    const types = (id: string) =>
      journalSince(h, from).then((j) => j.filter((e) => e.ids.channelId === id).map((e) => e.type));
    expect((await types('post-drop'))[0]).toBe('ChannelCreated');
    expect((await types('new-1')).pop()).toBe('ChannelDestroyed');
    sim.resetRequestLog();
    const view = await viewIds(h);
    expect(sim.requests).toEqual([]);
    expect(view).toEqual(await simIds(sim.url));
  });
});
