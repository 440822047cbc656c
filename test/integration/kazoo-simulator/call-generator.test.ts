import { type KazooSimulator, startKazooSimulator } from '../../../src/simulators/kazoo';
import { startKazooCallGenerator } from '../../../src/simulators/kazoo/call-generator';
import { BhClient, apiToken, call } from './helpers';
import { waitFor } from '../../helpers/wait-for';

describe('KAZOO call generator', () => {
  let sim: KazooSimulator;
  beforeAll(async () => {
    sim = await startKazooSimulator({ timing: { wrapupMs: 30 } });
  });
  afterAll(() => sim.close());

  it('drives calls and agents through every recipient state, visible over Blackhole', async () => {
    const acme = sim.world.customerAccount!;
    const token = await apiToken(sim, acme);
    const ws = await BhClient.connect(sim.blackholeUrl);
    await ws.request({ action: 'subscribe', auth_token: token, data: { account_id: acme.id, binding: 'call.*.*' } });
    await ws.request({ action: 'subscribe', data: { account_id: acme.id, binding: 'qubicle.recipient' } });

    const seenStates = new Set<string>();
    const off = sim.onEvent((ev) => {
      if (ev.routingKey.startsWith('qubicle.recipient.'))
        seenStates.add(String((ev.data as { state?: string }).state ?? ev.name));
    });
    const gen = startKazooCallGenerator(sim, {
      accountIds: [acme.id],
      callIntervalMs: [5, 15],
      ringMs: [5, 15],
      talkMs: [10, 30],
      agentIntervalMs: [2, 8],
      maxQueueWaitMs: 300,
      maxConcurrentCalls: 4,
    });
    try {
      await ws.event((f) => f.name === 'CHANNEL_BRIDGE', 5000);
      await ws.event((f) => f.name === 'CHANNEL_DESTROY', 5000);
      const want = ['away', 'ready', 'call_offer', 'on_a_call', 'wrapup_time', 'delete'];
      // Logging out is rare by design (5% of an Away agent's moves): a few per 8 s here, sometimes
      // none. 20 s makes missing it a one-in-a-hundred-thousand event; a pass ends as soon as all are seen.
      await waitFor(() => want.every((s) => seenStates.has(s)), 'every agent state', {
        timeoutMs: 20_000,
        everyMs: 20,
      }).catch(() => undefined); // the expect below names what is missing
      expect([...seenStates].filter((s) => want.includes(s)).sort()).toEqual([...want].sort());
      const channels = await call(sim, 'GET', `/accounts/${acme.id}/channels`, { token });
      expect(channels.status).toBe(200);
    } finally {
      gen.stop();
      off();
      await ws.close();
    }
    const after = await call(sim, 'GET', `/accounts/${acme.id}/channels`, { token });
    expect(after.body.data).toEqual([]);
  }, 45_000);
});
