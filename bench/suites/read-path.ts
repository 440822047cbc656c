/**
 * a. `channels` with N live channels through the gateway (served from the live view) vs the same
 * list straight from the ARI (`GET /ari/channels`), same load generator, same run.
 */
import { AriRest } from '../lib/ari-rest';
import type { BenchConfig } from '../lib/cli';
import { BROWSER_ACCEPT_ENCODING, gqlHeaders, NO_CACHE } from '../lib/gql';
import { httpSide, interleave, type LoadResult, type Side } from '../lib/http-load';
import { hangupAll, originateMany, waitForGateway } from '../lib/live-channels';
import { progress, type SuiteResult } from '../lib/report';
import { int, ms, ratio } from '../lib/stats';
import { startGatewayChild } from '../server/handle';
import { CHANNELS_BODY, checkChannelsAnswer } from './queries';

function row(label: string, r: LoadResult, backendRequests: string): string[] {
  return [
    label,
    int(r.rps),
    ms(r.latency.p50),
    ms(r.latency.p99),
    int(r.requests),
    int(r.errors),
    `${(r.bytesPerResponse / 1024).toFixed(1)} KB`,
    backendRequests,
  ];
}

export async function readPath(c: BenchConfig): Promise<SuiteResult> {
  const gw = await startGatewayChild({ ari: c.ari, liveView: true });
  const rest = new AriRest(gw.info.ari);
  let ids: string[] = [];
  try {
    progress(`a: originating ${c.channels} channels (${c.endpoint})`);
    ids = await originateMany(rest, c.endpoint, c.channels);
    await waitForGateway(gw.info, ids);
    const countRequests = async (): Promise<number | null> => {
      if (!gw.info.localAri) return null;
      const r = await gw.rpc.call('requests', { reset: true });
      return r.ari.filter((x) => x.startsWith('GET /ari/channels')).length;
    };
    const gatewayAs = (extra: Record<string, string>) =>
      httpSide(
        { method: 'POST', url: gw.info.gatewayUrl, headers: gqlHeaders(gw.info.apiKey, extra), body: CHANNELS_BODY },
        { connections: c.connections, maxRequests: c.maxRequests, check: checkChannelsAnswer(ids.length) },
      );
    // Clients as browsers are (Accept-Encoding: gzip...), the same without compression, and executed every time.
    const gatewaySide = gatewayAs(BROWSER_ACCEPT_ENCODING);
    const identitySide = gatewayAs({});
    const executedSide = gatewayAs({ ...BROWSER_ACCEPT_ENCODING, ...NO_CACHE });
    const directSide = httpSide(
      { method: 'GET', url: rest.channelsUrl, headers: { ...rest.authHeader, ...BROWSER_ACCEPT_ENCODING } },
      {
        connections: c.connections,
        maxRequests: c.maxRequests,
        check: (_s, body) => {
          if ((JSON.parse(body) as unknown[]).length < ids.length) throw new Error('fewer channels than originated');
        },
      },
    );
    // Backend GETs while only gateway sides run: counted around gateway phases.
    let gatewayGets = 0;
    const counted = (side: Side) => async (d: number, record: boolean) => {
      await countRequests();
      const p = await side(d, record);
      gatewayGets += (await countRequests()) ?? 0;
      return p;
    };
    progress(
      `a: gateway (3 ways) vs direct, ${c.connections} connections, ${c.durationMs / 1000} s each in ${c.rounds} alternating rounds`,
    );
    let viaGateway: LoadResult;
    let identity: LoadResult;
    let executed: LoadResult;
    let direct: LoadResult;
    const sides = [gatewaySide, identitySide, executedSide, directSide];
    try {
      [viaGateway, identity, executed, direct] = await interleave(
        [counted(gatewaySide), counted(identitySide), counted(executedSide), directSide],
        c,
        (r) => progress(`a: round ${r + 1}/${c.rounds}`),
      );
    } finally {
      for (const side of sides) side.close();
    }
    const gatewayBackendRequests = gw.info.localAri ? String(gatewayGets) : 'n/a (real ARI)';
    const x = viaGateway.rps / direct.rps;
    const notes = [
      `${ids.length} live channels (${c.endpoint}), ${c.connections} keep-alive connections, ${c.durationMs / 1000} s measured per side in ${c.rounds} alternating rounds after ${c.warmupMs / 1000} s warm-up; load generator in the parent process, gateway and ARI simulator in one child process (each idle while the other is measured).`,
      `"backend GETs" = GET /ari/channels the simulator saw while the gateway sides were under load (0 = answered from the live view).`,
      'Every side sends what a browser\'s fetch sends, Accept-Encoding: gzip, deflate, br, except "identity" (none). The gateway keeps the answer of a live-view read until the live view changes (src/graphql/response-cache.ts) and gzips it once per change; the ARI answers uncompressed, as Asterisk does. "body" is the bytes on the wire. "executed" sends Cache-Control: no-cache: every request parsed, validated and resolved from the live view.',
      'The goal is read off the first row: clients as they are. The identity and executed rows show what compression and the response cache each contribute.',
    ];
    for (const [label, r] of [
      ['gateway', viaGateway],
      ['gateway identity', identity],
      ['gateway executed', executed],
      ['direct', direct],
    ] as const) {
      if (r.errors) notes.push(`${label}: ${r.errors} errors, first: ${r.firstError}`);
    }
    return {
      id: 'a',
      title: `read path: channels (${ids.length} live) via gateway vs direct GET /ari/channels`,
      headers: ['side', 'req/s', 'p50', 'p99', 'requests', 'errors', 'body', 'backend GETs'],
      rows: [
        row('gateway (live view, cached, gzip)', viaGateway, gatewayBackendRequests),
        row('gateway (live view, cached, identity)', identity, gatewayBackendRequests),
        row('gateway (live view, executed: no-cache)', executed, gatewayBackendRequests),
        row('direct ARI', direct, '-'),
        ['gateway / direct', ratio(x), '', '', '', '', '', ''],
        ['gateway identity / direct', ratio(identity.rps / direct.rps), '', '', '', '', '', ''],
        ['gateway executed / direct', ratio(executed.rps / direct.rps), '', '', '', '', '', ''],
      ],
      goals: [
        {
          text: 'gateway ≥ 3x direct backend throughput',
          met: x >= 3,
          measured: `${ratio(x)} (${int(viaGateway.rps)} vs ${int(direct.rps)} req/s)`,
        },
        {
          text: 'executed (no-cache) ≥ 1x direct backend throughput',
          met: executed.rps >= direct.rps,
          measured: `${ratio(executed.rps / direct.rps)} (${int(executed.rps)} vs ${int(direct.rps)} req/s)`,
        },
      ],
      notes,
    };
  } finally {
    await hangupAll(rest, ids).catch(() => undefined);
    await gw.close();
  }
}
