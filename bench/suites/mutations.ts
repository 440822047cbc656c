/**
 * e. originate + hang up through the gateway's mutations vs the same two ARI REST calls made
 * directly, interleaved one pair at a time against the same ARI: the added latency per call.
 */
import { AriRest } from '../lib/ari-rest';
import type { BenchConfig } from '../lib/cli';
import { gql } from '../lib/gql';
import { progress, type Goal, type SuiteResult } from '../lib/report';
import { ms, summarize } from '../lib/stats';
import { startGatewayChild } from '../server/handle';

const ORIGINATE = `mutation Originate($endpoint: String!, $app: String!) {
  originate(input: { backend: "pbx1", endpoint: $endpoint, app: $app }) { channel { id state } }
}`;
const HANGUP = 'mutation Hangup($id: ID!) { hangupChannel(input: { id: $id }) { hungUpChannelId } }';

/** Issue 15, goal 4: each mutation adds under this much p50 latency over the direct ARI call. */
const ADDED_P50_GOAL_MS = 1;

function goal(call: string, addedMs: number): Goal {
  return {
    text: `${call} adds < ${ADDED_P50_GOAL_MS} ms p50 over direct ARI`,
    met: addedMs < ADDED_P50_GOAL_MS,
    measured: `+${ms(addedMs)}`,
  };
}

export async function mutationOverhead(c: BenchConfig): Promise<SuiteResult> {
  const gw = await startGatewayChild({ ari: c.ari, liveView: true });
  const rest = new AriRest(gw.info.ari);
  const t = { gwOrig: [] as number[], gwHang: [] as number[], dOrig: [] as number[], dHang: [] as number[] };
  const timed = async <T>(into: number[], f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const v = await f();
    into.push(performance.now() - t0);
    return v;
  };
  try {
    const warm = Math.min(10, c.mutations);
    progress(`e: ${c.mutations} originate+hangup pairs per side (+${warm} warm-up), interleaved`);
    for (let i = 0; i < warm + c.mutations; i++) {
      const sink = i < warm ? { gwOrig: [], gwHang: [], dOrig: [], dHang: [] } : t;
      const d = await timed<{ originate: { channel: { id: string } } }>(sink.gwOrig, () =>
        gql(gw.info, ORIGINATE, { endpoint: c.endpoint, app: gw.info.ari.app }),
      );
      await timed(sink.gwHang, () => gql(gw.info, HANGUP, { id: d.originate.channel.id }));
      const id = await timed(sink.dOrig, () => rest.originate(c.endpoint));
      await timed(sink.dHang, () => rest.hangup(id));
      if (i > warm && (i - warm) % 50 === 0) progress(`e: ${i - warm}/${c.mutations}`);
    }
    const s = {
      gwOrig: summarize(t.gwOrig),
      gwHang: summarize(t.gwHang),
      dOrig: summarize(t.dOrig),
      dHang: summarize(t.dHang),
    };
    const added = s.gwOrig.p50 + s.gwHang.p50 - (s.dOrig.p50 + s.dHang.p50);
    return {
      id: 'e',
      title: `mutation overhead: originate + hangup via gateway vs direct ARI (${c.mutations} pairs each)`,
      headers: ['call', 'gateway p50', 'gateway p99', 'direct p50', 'direct p99', 'added p50'],
      rows: [
        [
          'originate',
          ms(s.gwOrig.p50),
          ms(s.gwOrig.p99),
          ms(s.dOrig.p50),
          ms(s.dOrig.p99),
          ms(s.gwOrig.p50 - s.dOrig.p50),
        ],
        [
          'hangup',
          ms(s.gwHang.p50),
          ms(s.gwHang.p99),
          ms(s.dHang.p50),
          ms(s.dHang.p99),
          ms(s.gwHang.p50 - s.dHang.p50),
        ],
        ['originate + hangup', '', '', '', '', ms(added)],
      ],
      goals: [goal('originate', s.gwOrig.p50 - s.dOrig.p50), goal('hangup', s.gwHang.p50 - s.dHang.p50)],
      notes: [
        `${c.endpoint} into app "${gw.info.ari.app}"; one request at a time (fetch, keep-alive), gateway and direct pairs interleaved so drift hits both.`,
      ],
    };
  } finally {
    await gw.close();
  }
}
