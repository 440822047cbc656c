/**
 * One life per channel through socket cuts under load, against a simulator that lists channels
 * twice while calls are set up (as Asterisk 22.10.1 sometimes does): the whole journal keeps
 * one ChannelCreated first and at most one ChannelDestroyed last per channel, and REST answers
 * hold each channel once, in its newest snapshot.
 */
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { startHarness, waitFor, type Harness } from '../../helpers/gateway-harness';
import { driveContinuously, inboundCallCycle, journalSince, quiesce, waitForLiveView } from './event-helpers';
import { lifecycleViolations } from './lifecycle-check';
import { startTcpForwarder, type TcpForwarder } from './tcp-forwarder';

const AUTH = { authorization: `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}` };

async function rawList(
  sim: AriSimulator,
): Promise<Array<{ id: string; state: string; dialplan: { app_name: string } }>> {
  const res = await fetch(`${sim.url}/channels`, { headers: AUTH });
  return (await res.json()) as never;
}

describe('journal lifecycle through socket cuts, with doubled channel listings', () => {
  let sim: AriSimulator;
  let forwarder: TcpForwarder;
  let h: Harness;
  beforeAll(async () => {
    sim = await startAriSimulator({
      port: 0,
      doubledListing: { windowMs: 5000 },
      timing: { ringMs: 10, answerMs: 30 },
    });
    forwarder = await startTcpForwarder(sim.port);
    h = await startHarness({ sims: [{ ...sim, url: forwarder.ariUrl }] });
    await waitForLiveView(h, 'pbx1', 20_000);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await forwarder?.close();
    await sim?.close();
  });

  it('the simulator option lists a channel being set up twice; the backend and REST-served channels hold it once, newest', async () => {
    const id = sim.inboundCall({ endpoint: 'PJSIP/alice', exten: '100', app: 'patchbay', answered: true });
    const doubled = await waitFor(
      async () => {
        const mine = (await rawList(sim)).filter((c) => c.id === id);
        return mine.length === 2 && mine[0].dialplan.app_name === 'Stasis' ? mine : null;
      },
      'a doubled listing of the answered call',
      10_000,
    );
    // Current snapshot first, the superseded one after it: "last wins" would pick the stale one.
    expect(doubled[1].dialplan.app_name).not.toBe('Stasis');
    const listed = await h.backends[0].listChannels({ requestId: 't' });
    expect(listed.filter((c) => c.nativeId === id).map((c) => [c.rawState, c.dialplan?.appName])).toEqual([
      ['Up', 'Stasis'],
    ]);
    const ids = listed.map((c) => c.nativeId);
    expect(new Set(ids).size).toBe(ids.length);
    sim.farEndHangup(id);
  });

  it('socket cuts while calls come and go leave every channel with one life in the journal', async () => {
    jest.setTimeout(90_000);
    const driver = driveContinuously(async (i) => {
      await inboundCallCycle(sim, i % 2 ? 'PJSIP/bob' : 'PJSIP/carol').catch(() => undefined);
      // Calls that stay up across cuts, so reconciles see them change and end.
      if (i % 5 === 0) {
        const id = sim.inboundCall({ endpoint: 'PJSIP/dave', exten: '101', app: 'patchbay', answered: i % 10 === 0 });
        setTimeout(() => sim.channelIds().includes(id) && sim.farEndHangup(id), 150);
      }
    });
    const status = async () =>
      (await h.gql('{ backends { ingest { reconciliations } } }')).data!.backends[0].ingest.reconciliations as number;
    for (let cut = 0; cut < 5; cut++) {
      const r0 = await status();
      forwarder.down();
      await waitFor(() => !h.backends[0].health().connected, 'socket down');
      await new Promise((r) => setTimeout(r, 20 + cut * 30)); // calls change while nobody listens
      forwarder.up(sim.port);
      await waitFor(async () => (await status()) === r0 + 1, `reconcile after cut ${cut}`, 10_000);
    }
    await driver.stop();
    await new Promise((r) => setTimeout(r, 200)); // the driver's delayed hangups
    for (const id of sim.channelIds()) sim.farEndHangup(id);
    await waitFor(() => sim.channelIds().length === 0, 'every call over', 10_000);
    await waitForLiveView(h, 'pbx1', 20_000);
    await quiesce(h, 300);
    const journal = await journalSince(h, null);
    expect(journal.length).toBeGreaterThan(100);
    expect(lifecycleViolations(journal)).toEqual([]);
    // Every channel ended: the journal ends each life it began.
    const open = lifecycleViolations(journal.filter((e) => e.type !== 'ChannelDestroyed'));
    expect(open).toEqual([]);
    expect(journal.filter((e) => e.type === 'ChannelCreated').length).toBe(
      journal.filter((e) => e.type === 'ChannelDestroyed').length,
    );
  });
});
