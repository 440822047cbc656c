/** The demo call generator and RTP statistics that move over time. */
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { startAriCallGenerator } from '../../../src/simulators/ari/call-generator';
import { barrier, EventCollector, http } from './helpers';
import { waitFor } from '../../helpers/wait-for';

describe('ARI simulator: call generator and live statistics', () => {
  let sim: AriSimulator;

  beforeAll(async () => {
    sim = await startAriSimulator({ timing: { ringMs: 5, answerMs: 5 } });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('keeps about targetCalls inbound calls in the app and makes them change; stop() stops it', async () => {
    const ws = await EventCollector.connect(sim, 'demo');
    const gen = startAriCallGenerator(sim, { app: 'demo', targetCalls: 3, intervalMs: 15 });
    try {
      await waitFor(() => sim.channelIds().length >= 3, 'three generated calls');
      const starts = await ws.nextOfType('StasisStart');
      expect(starts.channel.name).toMatch(/^PJSIP\/(alice|bob|carol|dave)-[0-9a-f]{8}$/);
      await ws.next((e) => ['ChannelDtmfReceived', 'ChannelHold', 'StasisEnd'].includes(e.type));
      expect(sim.channelIds().length).toBeLessThanOrEqual(3);
    } finally {
      gen.stop();
    }
    const count = ws.events.filter((e) => e.type === 'StasisStart').length;
    await barrier(sim, ws, 'demo');
    expect(ws.events.filter((e) => e.type === 'StasisStart').length).toBe(count);
    await ws.close();
  });

  it('RTP statistics of an answered PJSIP call grow over time', async () => {
    const id = sim.inboundCall({ endpoint: 'PJSIP/alice', exten: '1', app: 'none', answered: true });
    // No app socket: Stasis fails and the call hangs up; use an app with a socket instead.
    expect(sim.channelIds()).not.toContain(id);
    const ws = await EventCollector.connect(sim, 'rtp');
    const live = sim.inboundCall({ endpoint: 'PJSIP/bob', exten: '1', app: 'rtp', answered: true });
    await ws.nextOfType('StasisStart');
    const first = (await http(sim, 'GET', `/ari/channels/${live}/rtp_statistics`)).body;
    const later = await waitFor(async () => {
      const s = (await http(sim, 'GET', `/ari/channels/${live}/rtp_statistics`)).body;
      return s.txcount > first.txcount ? s : undefined;
    }, 'RTP statistics to move');
    expect(later.txoctetcount).toBeGreaterThan(first.txoctetcount);
    expect(later.local_ssrc).toBe(first.local_ssrc);
    await http(sim, 'DELETE', `/ari/channels/${live}`);
    await ws.close();
  });
});
