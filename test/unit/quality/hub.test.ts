/** The quality hub over a fake ARI backend: bounded concurrency, RTP-less channels left out, codec read once. */
import { BackendRegistry } from '../../../src/backends/registry';
import type { Backend } from '../../../src/backends/types';
import type { Channel, RtpStats } from '../../../src/domain/channel';
import { ErrorCode, PatchbayError } from '../../../src/domain/errors';
import { CODECS } from '../../../src/quality/e-model';
import { MAX_IN_FLIGHT, QualityHub } from '../../../src/quality/hub';

function channel(nativeId: string, name: string): Channel {
  return {
    backend: 'pbx1',
    backendKind: 'ari',
    nativeId,
    name,
    state: 'UP',
    rawState: 'Up',
    caller: { name: '', number: '' },
    connected: { name: '', number: '' },
    accountCode: '',
    dialplan: null,
    createdAt: new Date(),
    language: 'en',
    protocolId: '',
    variables: {},
  };
}

function stats(id: string): RtpStats {
  return {
    channelNativeId: id,
    txCount: 500,
    rxCount: 490,
    txPacketLoss: 0,
    rxPacketLoss: 10,
    localSsrc: 1,
    remoteSsrc: 2,
    txOctetCount: 0,
    rxOctetCount: 0,
    txJitter: 0.002,
    rxJitter: 0.003,
    rtt: 0.04,
  } as RtpStats;
}

function fakeBackend(channels: Channel[]) {
  const counts = { inFlight: 0, maxInFlight: 0, stats: 0, codec: 0 };
  const backend = {
    name: 'pbx1',
    kind: 'ari',
    listChannels: async () => channels,
    async rtpStatistics(id: string) {
      counts.stats++;
      counts.inFlight++;
      counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
      await new Promise((r) => setImmediate(r));
      counts.inFlight--;
      if (id.startsWith('norpt'))
        throw new PatchbayError(ErrorCode.NOT_FOUND, 'RTP info not found', { backendMessage: 'RTP info not found' });
      return stats(id);
    },
    async getVariable() {
      counts.codec++;
      return '(g729)';
    },
  };
  return { registry: new BackendRegistry([backend as unknown as Backend]), counts };
}

describe('QualityHub', () => {
  it(`reads at most ${MAX_IN_FLIGHT} statistics at once and leaves channels without RTP out`, async () => {
    const pjsip = Array.from({ length: 30 }, (_, i) => channel(`c${i}`, `PJSIP/alice-${i}`));
    const { registry, counts } = fakeBackend([
      ...pjsip,
      channel('local1', 'Local/wait@ari-test-0001;1'),
      channel('norpt1', 'PJSIP/bob-99'),
    ]);
    const hub = new QualityHub(registry, () => null);
    const samples = await hub.sample('pbx1');
    expect(samples.map((s) => s.quality.channelId).sort()).toEqual(pjsip.map((c) => `pbx1:${c.nativeId}`).sort());
    // The Local channel is never asked; the PJSIP one without an RTP instance is asked and left out.
    expect(counts.stats).toBe(31);
    expect(counts.maxInFlight).toBe(MAX_IN_FLIGHT);
    const q = samples[0].quality;
    expect(q.codec).toBe(CODECS.G729A);
    expect(q.codecKnown).toBe(true);
    expect(q.inbound.lossPercent).toBeCloseTo(2, 9);
    expect(q.roundTripMs).toBeCloseTo(40, 9);
  });

  it('reads each channel codec once across samples', async () => {
    const { registry, counts } = fakeBackend([channel('c1', 'PJSIP/alice-1'), channel('c2', 'PJSIP/alice-2')]);
    const hub = new QualityHub(registry, () => null);
    await hub.sample('pbx1');
    await hub.sample('pbx1');
    expect(counts.stats).toBe(4);
    expect(counts.codec).toBe(2);
  });

  it('polls only the channels asked for when every listener names them', async () => {
    const { registry, counts } = fakeBackend([
      channel('c1', 'PJSIP/alice-1'),
      channel('c2', 'PJSIP/alice-2'),
      channel('c3', 'PJSIP/alice-3'),
    ]);
    const hub = new QualityHub(registry, () => null);
    const samples = await hub.sample('pbx1', new Set(['pbx1:c2', 'pbx1:c9']));
    expect(samples.map((s) => s.quality.channelId)).toEqual(['pbx1:c2']);
    expect(counts.stats).toBe(1);
  });
});
