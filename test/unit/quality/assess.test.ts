/** From an ARI RTPstat to a per-direction estimate: units (seconds → ms), loss ratios, worse direction. */
import type { RtpStats } from '../../../src/domain/channel';
import { assessInterval, assessQuality } from '../../../src/quality/assess';
import { CODECS, mosFromR, rFactor } from '../../../src/quality/e-model';

function stats(over: Partial<RtpStats>): RtpStats {
  const nulls = Object.fromEntries(
    [
      'remoteMaxJitter',
      'remoteMinJitter',
      'remoteNormDevJitter',
      'remoteStdevJitter',
      'localMaxJitter',
      'localMinJitter',
      'localNormDevJitter',
      'localStdevJitter',
      'remoteMaxRxPacketLoss',
      'remoteMinRxPacketLoss',
      'remoteNormDevRxPacketLoss',
      'remoteStdevRxPacketLoss',
      'localMaxRxPacketLoss',
      'localMinRxPacketLoss',
      'localNormDevRxPacketLoss',
      'localStdevRxPacketLoss',
      'maxRtt',
      'minRtt',
      'normDevRtt',
      'stdevRtt',
    ].map((k) => [k, null]),
  );
  return {
    channelNativeId: 'c1',
    txCount: 1000,
    rxCount: 1000,
    txPacketLoss: 0,
    rxPacketLoss: 0,
    localSsrc: 1,
    remoteSsrc: 2,
    txOctetCount: 0,
    rxOctetCount: 0,
    txJitter: 0,
    rxJitter: 0,
    rtt: 0,
    ...nulls,
    ...over,
  } as RtpStats;
}

describe('assessQuality', () => {
  it('the Asterisk 22 capture sample (no loss, sub-ms jitter) rates as a near-perfect G.711 call', () => {
    const q = assessQuality(
      'pbx1:c1',
      stats({ txCount: 102, rxCount: 592, txJitter: 0.000375, rxJitter: 0, rtt: 0.000152 }),
      CODECS.G711,
    );
    expect(q.codecKnown).toBe(true);
    expect(q.roundTripMs).toBeCloseTo(0.152, 6);
    expect(q.outbound.jitterMs).toBeCloseTo(0.375, 6);
    expect(q.inbound.oneWayDelayMs).toBeCloseTo(0.076 + 20, 6);
    // 20 ms of codec delay costs a little talker echo (Idte ≈ 0.7 at default TELR): R 92.5.
    expect(q.rFactor).toBeCloseTo(92.5, 1);
    expect(q.mos).toBeCloseTo(4.4, 2);
  });

  it('loss percentages: rx lost over rx expected, tx lost over tx sent; the worse direction wins', () => {
    const q = assessQuality(
      'pbx1:c1',
      stats({
        rxCount: 980,
        rxPacketLoss: 20,
        txCount: 1000,
        txPacketLoss: 50,
        rtt: 0.1,
        txJitter: 0.01,
        rxJitter: 0.005,
      }),
      CODECS.G729A,
    );
    expect(q.inbound.lossPercent).toBeCloseTo(2, 9);
    expect(q.outbound.lossPercent).toBeCloseTo(5, 9);
    expect(q.outbound.packets).toBe(950);
    // Outbound: 50 ms (RTT/2) + 2 × 10 ms jitter + 25 ms G.729A frame and look-ahead.
    expect(q.outbound.oneWayDelayMs).toBeCloseTo(95, 9);
    const r = rFactor({ codec: CODECS.G729A, oneWayDelayMs: 95, lossPercent: 5 });
    expect(q.outbound.rFactor).toBeCloseTo(r, 9);
    expect(q.rFactor).toBe(q.outbound.rFactor);
    expect(q.mos).toBeCloseTo(mosFromR(r), 9);
  });

  it('an unknown codec is rated as G.711 and says so; no RTCP yet means no RTT', () => {
    const q = assessQuality('pbx1:c1', stats({ rtt: 0, rxJitter: null }), undefined);
    expect(q.codecKnown).toBe(false);
    expect(q.codec).toBe(CODECS.G711);
    expect(q.roundTripMs).toBeNull();
    expect(q.inbound.jitterMs).toBeNull();
    expect(q.inbound.lossPercent).toBe(0);
  });
});

describe('assessInterval', () => {
  const at = (ms: number) => new Date(1_800_000_000_000 + ms);

  it('rates only the packets since the previous sample', () => {
    // 1000 clean packets, then 100 more of which 10 were lost: cumulative 0.9 %, interval 10 %.
    const before = assessQuality(
      'pbx1:c1',
      stats({ rxCount: 1000, rxPacketLoss: 0, txCount: 1000 }),
      CODECS.G711,
      at(0),
    );
    const now = assessQuality(
      'pbx1:c1',
      stats({ rxCount: 1090, rxPacketLoss: 10, txCount: 1100 }),
      CODECS.G711,
      at(2000),
    );
    const i = assessInterval(before, now)!;
    expect(i.seconds).toBe(2);
    expect(i.inbound.packets).toBe(90);
    expect(i.inbound.lossPercent).toBeCloseTo(10, 9);
    expect(now.inbound.lossPercent).toBeCloseTo((100 * 10) / 1100, 9);
    expect(i.mos).toBeLessThan(now.mos);
    expect(i.rFactor).toBeCloseTo(rFactor({ codec: CODECS.G711, oneWayDelayMs: 20, lossPercent: 10 }), 9);
  });

  it('is null when the counters restarted or nothing flowed', () => {
    const before = assessQuality('pbx1:c1', stats({ rxCount: 1000, txCount: 1000 }), CODECS.G711, at(0));
    expect(
      assessInterval(before, assessQuality('pbx1:c1', stats({ rxCount: 10, txCount: 10 }), CODECS.G711, at(1000))),
    ).toBeNull();
    expect(
      assessInterval(before, assessQuality('pbx1:c1', stats({ rxCount: 1000, txCount: 1000 }), CODECS.G711, at(1000))),
    ).toBeNull();
  });
});
