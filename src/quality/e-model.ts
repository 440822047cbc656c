/**
 * ITU-T G.107 E-model, transmission-planning form, with every parameter other than delay and
 * packet loss at its G.107 default (Table 3). Formula and sources: docs/quality.md.
 */

/** G.107 §7.1–7.2 at default parameters: Ro − Is (basic signal-to-noise minus simultaneous impairments). */
const RO_MINUS_IS = 94.7688 - 1.4136;
/** Default talker echo loudness rating (dB) and weighted echo path loss (dB), G.107 Table 3. */
const TELR = 65;
const WEPL = 110;
/** Default Ro (G.107 §7.1) and the rating of the default circuit used by the echo terms. */
const RO = 94.7688;

/** Codec impairment per ITU-T G.113 Appendix I: equipment impairment Ie and packet-loss robustness Bpl. */
export interface CodecImpairment {
  /** Name shown to clients, e.g. "G.711". */
  name: string;
  ie: number;
  bpl: number;
  /** Frame plus look-ahead, ms: added to the one-way delay. */
  codecDelayMs: number;
}

/** G.113 Appendix I, Tables I.1 and I.3. G.711 with packet-loss concealment (Bpl 25.1; 4.3 without). */
export const CODECS: Readonly<Record<string, CodecImpairment>> = {
  G711: { name: 'G.711', ie: 0, bpl: 25.1, codecDelayMs: 20 },
  G711_NO_PLC: { name: 'G.711 (no PLC)', ie: 0, bpl: 4.3, codecDelayMs: 20 },
  G729A: { name: 'G.729A', ie: 11, bpl: 19, codecDelayMs: 25 },
  G723_1: { name: 'G.723.1 (6.3 kbit/s)', ie: 15, bpl: 16.1, codecDelayMs: 37.5 },
};

/** Asterisk format names (CHANNEL(audionativeformat)) to G.113 codec entries. */
const ASTERISK_FORMATS: Readonly<Record<string, string>> = {
  ulaw: 'G711',
  alaw: 'G711',
  g729: 'G729A',
  g723: 'G723_1',
};

/** The codec for an Asterisk format name; undefined for formats G.113 Appendix I does not rate. */
export function codecForFormat(format: string): CodecImpairment | undefined {
  const key =
    ASTERISK_FORMATS[
      format
        .replace(/[()\s]/g, '')
        .split('|')[0]
        .toLowerCase()
    ];
  return key ? CODECS[key] : undefined;
}

/** G.107 §7.4 eq. 7-30: effective equipment impairment under packet loss (Ppl in percent). */
export function effectiveEquipmentImpairment(codec: CodecImpairment, lossPercent: number, burstR = 1): number {
  const ppl = Math.min(100, Math.max(0, lossPercent));
  return codec.ie + ((95 - codec.ie) * ppl) / (ppl / burstR + codec.bpl);
}

/** G.107 §7.3 eq. 7-27/7-28: impairment of pure delay Ta (ms); zero up to 100 ms. */
export function delayImpairment(ta: number): number {
  if (ta <= 100) return 0;
  const x = Math.log10(ta / 100) / Math.log10(2);
  return 25 * ((1 + x ** 6) ** (1 / 6) - 3 * (1 + (x / 3) ** 6) ** (1 / 6) + 2);
}

/** G.107 §7.3 eq. 7-19..7-23: talker echo impairment for mean one-way delay T (ms), default TELR. */
export function talkerEchoImpairment(t: number): number {
  const terv = TELR - 40 * Math.log10((1 + t / 10) / (1 + t / 150)) + 6 * Math.exp(-0.3 * t * t);
  const re = 80 + 2.5 * (terv - 14);
  const d = RO - re;
  return (d / 2 + Math.sqrt((d * d) / 4 + 100) - 1) * (1 - Math.exp(-t));
}

/** G.107 §7.3 eq. 7-25/7-26: listener echo impairment for round-trip delay Tr (ms), default WEPL. */
export function listenerEchoImpairment(tr: number): number {
  const rle = 10.5 * (WEPL + 7) * (tr + 1) ** -0.25;
  const d = RO - rle;
  return d / 2 + Math.sqrt((d * d) / 4 + 169);
}

/** Id = Idte + Idle + Idd, with T = Ta = one-way delay and Tr = 2T (a symmetric path). */
export function delayImpairmentTotal(oneWayDelayMs: number): number {
  const t = Math.max(0, oneWayDelayMs);
  return talkerEchoImpairment(t) + listenerEchoImpairment(2 * t) + delayImpairment(t);
}

/** G.107 Annex B eq. B-4: MOS (conversational quality, estimated) from R. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export interface EModelInput {
  codec: CodecImpairment;
  oneWayDelayMs: number;
  lossPercent: number;
  /** Burst ratio: 1 for random loss (what RTCP counters can tell). */
  burstR?: number;
}

/** R = Ro − Is − Id − Ie,eff (A = 0), clamped to 0..100. */
export function rFactor(i: EModelInput): number {
  const r =
    RO_MINUS_IS -
    delayImpairmentTotal(i.oneWayDelayMs) -
    effectiveEquipmentImpairment(i.codec, i.lossPercent, i.burstR ?? 1);
  return Math.min(100, Math.max(0, r));
}
