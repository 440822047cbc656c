/**
 * b. The same `channels` query through the whole gateway (HTTP, Apollo, context, resolvers) vs
 * graphql-js `execute` on a cached parsed+validated document with the same schema, the same
 * services and a context built by the server's createContext — both over the same live view.
 */
import { AriRest } from '../lib/ari-rest';
import type { BenchConfig } from '../lib/cli';
import { gqlHeaders, NO_CACHE } from '../lib/gql';
import { httpSide, interleave, type LoadResult, type Side } from '../lib/http-load';
import { hangupAll, originateMany, waitForGateway } from '../lib/live-channels';
import { progress, type SuiteResult } from '../lib/report';
import { int, ms, pct } from '../lib/stats';
import { startGatewayChild } from '../server/handle';
import { CHANNELS_BODY, CHANNELS_QUERY, checkChannelsAnswer } from './queries';

export async function frameworkOverhead(c: BenchConfig): Promise<SuiteResult> {
  const gw = await startGatewayChild({ ari: c.ari, liveView: true });
  const rest = new AriRest(gw.info.ari);
  let ids: string[] = [];
  try {
    progress(`b: originating ${c.channels} channels`);
    ids = await originateMany(rest, c.endpoint, c.channels);
    await waitForGateway(gw.info, ids);

    const gatewaySide = httpSide(
      { method: 'POST', url: gw.info.gatewayUrl, headers: gqlHeaders(gw.info.apiKey, NO_CACHE), body: CHANNELS_BODY },
      { connections: c.connections, maxRequests: c.maxRequests, check: checkChannelsAnswer(ids.length) },
    );
    const bareSide: Side = async (durationMs) => {
      const r = await gw.rpc.call('bare', { query: CHANNELS_QUERY, durationMs, concurrency: 1 }, durationMs + 60_000);
      return { ...r, latencies: r.latenciesMs, bytes: 0 };
    };
    progress(
      `b: gateway over HTTP vs bare graphql-js execute in the gateway process, ${c.durationMs / 1000} s each in ${c.rounds} alternating rounds`,
    );
    let viaGateway: LoadResult;
    let bare: LoadResult;
    try {
      [viaGateway, bare] = await interleave([gatewaySide, bareSide], c, (r) =>
        progress(`b: round ${r + 1}/${c.rounds}`),
      );
    } finally {
      gatewaySide.close();
    }
    const bareRps = bare.rps;
    const bareLat = bare.latency;
    const share = viaGateway.rps / bareRps;
    return {
      id: 'b',
      title: `framework overhead: channels (${ids.length} live) via gateway vs bare graphql-js execute`,
      headers: ['side', 'req/s', 'p50', 'p99', 'requests', 'errors'],
      rows: [
        [
          'gateway (HTTP + Apollo)',
          int(viaGateway.rps),
          ms(viaGateway.latency.p50),
          ms(viaGateway.latency.p99),
          int(viaGateway.requests),
          int(viaGateway.errors),
        ],
        [
          'bare execute + JSON.stringify',
          int(bareRps),
          ms(bareLat.p50),
          ms(bareLat.p99),
          int(bare.requests),
          int(bare.errors),
        ],
        ['gateway / bare', pct(share), '', '', '', ''],
      ],
      goals: [
        {
          text: 'gateway ≥ 50% of bare graphql-js throughput',
          met: share >= 0.5,
          measured: `${pct(share)} (${int(viaGateway.rps)} vs ${int(bareRps)} req/s)`,
        },
      ],
      notes: [
        'Gateway requests carry `Cache-Control: no-cache`, so every one is executed (parse, validate, resolvers) instead of answered from the response cache: this measures the framework, a measures the read path as clients get it.',
        "Bare: one sequential loop in the gateway child (one core), the document parsed and validated once, a fresh context from the server's createContext per execution, result JSON.stringify'd. Gateway: HTTP load from the parent process with the same client as a.",
        'Bare latencies are per execution (no network, no queueing); gateway latencies include the load generator and queueing over the connections.',
      ],
    };
  } finally {
    await hangupAll(rest, ids).catch(() => undefined);
    await gw.close();
  }
}
