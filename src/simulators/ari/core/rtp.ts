/** Simulated RTP session of a PJSIP channel: counters grow while the call is up, like a 20 ms ptime stream. */
import { randomSsrc } from '../util/ids';

const PACKET_BYTES = 160; // 20 ms of G.711

export class RtpSession {
  readonly localSsrc = randomSsrc();
  readonly remoteSsrc = randomSsrc();
  private upSince: number | null = null;
  private accumulatedMs = 0;

  markUp(now = Date.now()): void {
    if (this.upSince === null) this.upSince = now;
  }

  private elapsedMs(now = Date.now()): number {
    return this.accumulatedMs + (this.upSince === null ? 0 : now - this.upSince);
  }

  private counts(now = Date.now()): { tx: number; rx: number } {
    const packets = Math.floor(this.elapsedMs(now) / 20);
    // The far end starts sending a little later and occasionally loses nothing: keep it plausible.
    return { tx: packets, rx: Math.max(0, packets - 2) };
  }

  /** Full RTPstat, keys in the order `ast_rtp_instance_get_stats_all_json` writes them. */
  toJSON(channelId: string): Record<string, number | string> {
    const { tx, rx } = this.counts();
    const jitter = rx > 0 ? 0.000375 : 0;
    const rtt = rx > 0 ? 0.000152 : 0;
    const mes = rx > 0 ? 88 : 0;
    return {
      txcount: tx,
      rxcount: rx,
      txploss: 0,
      rxploss: 0,
      local_ssrc: this.localSsrc,
      remote_ssrc: this.remoteSsrc,
      txoctetcount: tx * PACKET_BYTES,
      rxoctetcount: rx * PACKET_BYTES,
      channel_uniqueid: channelId,
      txjitter: jitter,
      rxjitter: 0,
      remote_maxjitter: jitter * 2,
      remote_minjitter: 0,
      remote_normdevjitter: jitter,
      remote_stdevjitter: jitter / 2,
      local_maxjitter: jitter * 2,
      local_minjitter: 0,
      local_normdevjitter: jitter,
      local_stdevjitter: jitter / 3,
      remote_maxrxploss: 0,
      remote_minrxploss: 0,
      remote_normdevrxploss: 0,
      remote_stdevrxploss: 0,
      local_maxrxploss: 0,
      local_minrxploss: 0,
      local_normdevrxploss: 0,
      local_stdevrxploss: 0,
      rtt,
      maxrtt: rtt,
      minrtt: rtt,
      normdevrtt: rtt,
      stdevrtt: 0,
      txmes: mes,
      rxmes: mes,
      remote_maxmes: mes ? 88.0878873675 : 0,
      remote_minmes: mes ? 88.0863842642 : 0,
      remote_normdevmes: mes ? 88.0868352055 : 0,
      remote_stdevmes: mes ? 0.000688801684 : 0,
      local_maxmes: mes ? 88.0878873671 : 0,
      local_minmes: mes ? 88.0863842838 : 0,
      local_normdevmes: mes ? 88.0871358254 : 0,
      local_stdevmes: mes ? 0.00075154162 : 0,
    };
  }

  /** The RTPAUDIOQOS* variables `ast_rtp_instance_set_stats_vars` writes at hangup. */
  qosVariables(): Array<[string, string]> {
    const { tx, rx } = this.counts();
    const f = (n: number) => n.toFixed(6).padStart(10, '0');
    const j = rx > 0 ? 0.000375 : 0;
    const rtt = rx > 0 ? 0.000152 : 0;
    const mes = rx > 0 ? 88.086384 : 0;
    return [
      [
        'RTPAUDIOQOS',
        `ssrc=${this.localSsrc};themssrc=${this.remoteSsrc};lp=0;rxjitter=0.000000;rxcount=${rx};` +
          `txjitter=${j.toFixed(6)};txcount=${tx};rlp=0;rtt=${rtt.toFixed(6)};rxmes=${mes.toFixed(6)};txmes=${mes.toFixed(6)}`,
      ],
      [
        'RTPAUDIOQOSJITTER',
        `minrxjitter=${f(0)};maxrxjitter=${f(j * 2)};avgrxjitter=${f(j)};stdevrxjitter=${f(j / 3)};` +
          `mintxjitter=${f(0)};maxtxjitter=${f(j * 2)};avgtxjitter=${f(j)};stdevtxjitter=${f(j / 2)};`,
      ],
      [
        'RTPAUDIOQOSLOSS',
        `  minrxlost=${f(0)};  maxrxlost=${f(0)};  avgrxlost=${f(0)};  stdevrxlost=${f(0)};` +
          `  mintxlost=${f(0)};  maxtxlost=${f(0)};  avgtxlost=${f(0)};  stdevtxlost=${f(0)};`,
      ],
      ['RTPAUDIOQOSRTT', `     minrtt=${f(rtt)};     maxrtt=${f(rtt)};     avgrtt=${f(rtt)};     stdevrtt=${f(0)};`],
      [
        'RTPAUDIOQOSMES',
        `   minrxmes=${f(mes)};   maxrxmes=${f(mes)};   avgrxmes=${f(mes)};   stdevrxmes=${f(0)};` +
          `   mintxmes=${f(mes)};   maxtxmes=${f(mes)};   avgtxmes=${f(mes)};   stdevtxmes=${f(0)};`,
      ],
    ];
  }
}
