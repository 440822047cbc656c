/** The E-model against published values: ITU-T G.107 defaults, G.107 Annex B / G.109 MOS table, G.113 Appendix I codecs. */
import {
  CODECS,
  codecForFormat,
  delayImpairment,
  delayImpairmentTotal,
  effectiveEquipmentImpairment,
  mosFromR,
  rFactor,
} from '../../../src/quality/e-model';

describe('E-model (ITU-T G.107)', () => {
  it('all defaults (G.711, no delay, no loss) give R = 93.2 (G.107 §7.7)', () => {
    expect(rFactor({ codec: { ...CODECS.G711, codecDelayMs: 0 }, oneWayDelayMs: 0, lossPercent: 0 })).toBeCloseTo(
      93.2,
      1,
    );
    // The echo terms at zero delay are what separate Ro − Is (93.36) from 93.2.
    expect(delayImpairmentTotal(0)).toBeCloseTo(0.15, 2);
  });

  it('MOS from R follows G.107 Annex B at the G.109 category limits', () => {
    expect(mosFromR(93.2)).toBeCloseTo(4.41, 2);
    expect(mosFromR(90)).toBeCloseTo(4.34, 2);
    expect(mosFromR(80)).toBeCloseTo(4.024, 3);
    expect(mosFromR(70)).toBeCloseTo(3.6, 2);
    expect(mosFromR(60)).toBeCloseTo(3.1, 2);
    expect(mosFromR(50)).toBeCloseTo(2.58, 2);
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(100)).toBe(4.5);
  });

  it('Ie,eff = Ie + (95 − Ie)·Ppl/(Ppl/BurstR + Bpl) with G.113 Appendix I codec values', () => {
    expect(effectiveEquipmentImpairment(CODECS.G711, 0)).toBe(0);
    // G.711 with PLC (Bpl 25.1) at 1 % random loss: 95 / 26.1.
    expect(effectiveEquipmentImpairment(CODECS.G711, 1)).toBeCloseTo(3.64, 2);
    // Without PLC (Bpl 4.3) the same loss costs far more: 95 / 5.3.
    expect(effectiveEquipmentImpairment(CODECS.G711_NO_PLC, 1)).toBeCloseTo(17.92, 2);
    // G.729A (Ie 11, Bpl 19) at 2 %: 11 + 84·2/21 = 19.
    expect(effectiveEquipmentImpairment(CODECS.G729A, 2)).toBeCloseTo(19, 6);
    // Bursty loss (BurstR 2) impairs more than random loss of the same rate.
    expect(effectiveEquipmentImpairment(CODECS.G711, 5, 2)).toBeGreaterThan(
      effectiveEquipmentImpairment(CODECS.G711, 5, 1),
    );
    // Total loss leaves R near 0, never negative.
    expect(rFactor({ codec: CODECS.G711, oneWayDelayMs: 0, lossPercent: 100 })).toBeGreaterThanOrEqual(0);
  });

  it('Idd is zero up to 100 ms and grows with delay (G.107 eq. 7-28)', () => {
    expect(delayImpairment(0)).toBe(0);
    expect(delayImpairment(100)).toBe(0);
    // X = 1 at 200 ms: 25·((2)^(1/6) − 3·(1 + 1/729)^(1/6) + 2).
    expect(delayImpairment(200)).toBeCloseTo(25 * (2 ** (1 / 6) - 3 * (1 + 1 / 729) ** (1 / 6) + 2), 9);
    const rs = [0, 100, 150, 200, 300, 400].map((d) =>
      rFactor({ codec: { ...CODECS.G711, codecDelayMs: 0 }, oneWayDelayMs: d, lossPercent: 0 }),
    );
    for (let i = 1; i < rs.length; i++) expect(rs[i]).toBeLessThan(rs[i - 1]);
    // G.114 Figure 1: about R 90 at 150 ms one-way, users dissatisfied (R < 70) past ~300–400 ms.
    expect(rs[2]).toBeGreaterThan(88);
    expect(rs[2]).toBeLessThan(91);
    expect(rs[5]).toBeLessThan(70);
  });

  it('maps Asterisk format names to rated codecs', () => {
    expect(codecForFormat('(ulaw)')).toBe(CODECS.G711);
    expect(codecForFormat('alaw')).toBe(CODECS.G711);
    expect(codecForFormat('(g729)')).toBe(CODECS.G729A);
    expect(codecForFormat('(opus)')).toBeUndefined();
  });
});
