/**
 * The KAZOO normaliser on what really comes over Blackhole: the simulator on ephemeral ports,
 * a KazooBackend subscribed to it, every KazooEvent normalised against a LiveView as ingest
 * does. One queue call, answered by an agent and hung up.
 */
import { KazooBackend } from '../../../src/backends/kazoo/backend';
import type { KazooEvent } from '../../../src/backends/kazoo/operations';
import type { NormalizedEvent } from '../../../src/domain/events';
import { LiveView } from '../../../src/events/live-view';
import { normalizeKazooEvent } from '../../../src/backends/kazoo/normalize';
import { startKazooSimulator, type KazooSimulator } from '../../../src/simulators/kazoo';
import { waitFor } from '../../helpers/wait-for';

let sim: KazooSimulator;
let backend: KazooBackend;
const view = new LiveView();
const normalised: NormalizedEvent[] = [];

beforeAll(async () => {
  sim = await startKazooSimulator({ timing: { channelLookupTimeoutMs: 20, actionEffectMs: 10, wrapupMs: 60_000 } });
  const acme = sim.world.customerAccount!;
  backend = new KazooBackend(
    {
      name: 'kz',
      kind: 'kazoo',
      url: sim.crossbarUrl,
      apiKey: acme.apiKey,
      accountId: acme.id,
      blackholeUrl: sim.blackholeUrl,
      requestTimeoutMs: 2000,
    },
    { backoffBaseMs: 10, backoffMaxMs: 50, pingIntervalMs: 0, replyTimeoutMs: 2000 },
  );
  backend.onEvent((e: KazooEvent) => {
    const events = normalizeKazooEvent('kz', e, view.contextFor('kz'));
    for (const n of events) view.apply(n);
    normalised.push(...events);
  });
  await backend.start();
});

afterAll(async () => {
  await backend.stop();
  await sim.close();
});

it('queue call: channel events per leg and the agent’s offer → delivered → wrapup, in order', async () => {
  const acme = sim.world.customerAccount!;
  const user = (name: string) => sim.world.users.find((u) => u.username === name)!.id;
  const [alice, carol] = [user('alice.agent'), user('carol.agent')];
  const support = sim.world.queues.find((q) => q.name === 'Support')!.id;
  await backend.setRecipientStatus(acme.id, alice, 'away', {});

  const aLeg = sim.startCall({
    accountId: acme.id,
    queueId: support,
    callerIdName: 'Zed',
    callerIdNumber: '+15550199',
  });
  await waitFor(() => sim.recipientState(carol) === 'Call-Offer', 'offer to Carol');
  const bLeg = sim.callLegs(aLeg)[1];
  await waitFor(() => view.get('kz', bLeg) !== undefined, 'B-leg in the live view');
  expect(view.list('kz').map((c) => [c.nativeId, c.state])).toEqual([
    [aLeg, 'UP'],
    [bLeg, 'RINGING'],
  ]);

  sim.answerCall(bLeg);
  await waitFor(() => sim.recipientState(carol) === 'On-A-Call', 'Carol on the call');
  sim.hangupCall(aLeg);
  await waitFor(() => normalised.filter((e) => e.type === 'ChannelDestroyed').length === 2, 'both legs destroyed');
  await waitFor(() => normalised.some((e) => e.category === 'agent' && e.action === 'WRAPUP'), 'wrap-up');

  const about = (id: string) =>
    normalised.filter((e) => e.category === 'channel' && e.ids.channelId === id).map((e) => e.type);
  expect(about(aLeg)).toEqual([
    'ChannelCreated',
    'ChannelStateChanged',
    'ChannelAnswered',
    'ChannelBridged',
    'ChannelDestroyed',
  ]);
  expect(about(bLeg)).toEqual(['ChannelCreated', 'ChannelStateChanged', 'ChannelAnswered', 'ChannelDestroyed']);
  expect(normalised.find((e) => e.type === 'ChannelBridged' && e.ids.channelId === aLeg)).toMatchObject({
    otherChannelId: bLeg,
  });
  expect(normalised.find((e) => e.type === 'ChannelCreated' && e.ids.channelId === bLeg)?.ids).toMatchObject({
    accountId: acme.id,
    userId: carol,
  });
  expect(
    normalised
      .filter((e) => e.type === 'ChannelDestroyed')
      .map((e) => e.category === 'channel' && e.type === 'ChannelDestroyed' && [e.causeCode, e.causeText]),
  ).toEqual([
    [16, 'NORMAL_CLEARING'],
    [16, 'NORMAL_CLEARING'],
  ]);

  const carolEvents = normalised.filter((e) => e.category === 'agent' && e.ids.recipientId === carol);
  expect(
    carolEvents.map(
      (e) => e.category === 'agent' && [e.action, e.availabilityState, e.ids.queueId ?? null, e.ids.callId ?? null],
    ),
  ).toEqual([
    ['OFFERED', 'CALL_OFFER', support, aLeg],
    ['DELIVERED', 'ON_A_CALL', support, aLeg],
    ['WRAPUP', 'WRAPUP_TIME', support, null],
  ]);
  expect(
    normalised
      .filter((e) => e.category === 'agent' && e.ids.recipientId === alice)
      .map((e) => e.category === 'agent' && e.action),
  ).toEqual(['AWAY']);
  expect(view.list('kz')).toEqual([]);
});
