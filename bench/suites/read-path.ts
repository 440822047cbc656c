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
import { startGatewayChild, type GatewayChild } from '../server/handle';
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

/** A gateway of more workers than the first, with its own ARI simulator and channels. */
interface WorkersGateway {
  workers: number;
  gw: GatewayChild;
  rest: AriRest;
  ids: string[];
}

async function startWorkersGateway(c: BenchConfig, workers: number): Promise<WorkersGateway> {
  const gw = await startGatewayChild({ ari: c.ari, liveView: true, workers });
  const rest = new AriRest(gw.info.ari);
  try {
    const ids = await originateMany(rest, c.endpoint, c.channels);
    await waitForGateway(gw.info, ids);
    return { workers, gw, rest, ids };
  } catch (e) {
    await gw.close();
    throw e;
  }
}

export async function readPath(c: BenchConfig): Promise<SuiteResult> {
  // The first of --workers is the reference gateway (1 by default); the others are compared with it.
  const gw = await startGatewayChild({ ari: c.ari, liveView: true, workers: c.workers[0] });
  const rest = new AriRest(gw.info.ari);
  let ids: string[] = [];
  const more: WorkersGateway[] = [];
  try {
    progress(`a: originating ${c.channels} channels (${c.endpoint})`);
    ids = await originateMany(rest, c.endpoint, c.channels);
    await waitForGateway(gw.info, ids);
    for (const w of c.workers.slice(1)) more.push(await startWorkersGateway(c, w));
    const countRequests = async (): Promise<number | null> => {
      if (!gw.info.localAri) return null;
      const r = await gw.rpc.call('requests', { reset: true });
      return r.ari.filter((x) => x.startsWith('GET /ari/channels')).length;
    };
    const gatewayAs = (extra: Record<string, string>, target = gw, n = ids.length) =>
      httpSide(
        {
          method: 'POST',
          url: target.info.gatewayUrl,
          headers: gqlHeaders(target.info.apiKey, extra),
          body: CHANNELS_BODY,
        },
        { connections: c.connections, maxRequests: c.maxRequests, check: checkChannelsAnswer(n) },
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
    let moreResults: LoadResult[];
    // Each further gateway: clients as they are, and executed every time.
    const moreSides = more.flatMap((m) => [
      gatewayAs(BROWSER_ACCEPT_ENCODING, m.gw, m.ids.length),
      gatewayAs({ ...BROWSER_ACCEPT_ENCODING, ...NO_CACHE }, m.gw, m.ids.length),
    ]);
    const sides = [gatewaySide, identitySide, executedSide, directSide, ...moreSides];
    try {
      [viaGateway, identity, executed, direct, ...moreResults] = await interleave(
        [counted(gatewaySide), counted(identitySide), counted(executedSide), directSide, ...moreSides],
        c,
        (r) => progress(`a: round ${r + 1}/${c.rounds}`),
      );
    } finally {
      for (const side of sides) side.close();
    }
    const w1 = c.workers[0];
    const workerRows = more.flatMap((m, i) => {
      const [cached, exec] = [moreResults[2 * i], moreResults[2 * i + 1]];
      return [
        row(`gateway, ${m.workers} workers (cached, gzip)`, cached, '-'),
        row(`gateway, ${m.workers} workers (executed: no-cache)`, exec, '-'),
        ['', '', '', '', '', '', '', ''],
        [`${m.workers} workers / ${w1} (cached, gzip)`, ratio(cached.rps / viaGateway.rps), '', '', '', '', '', ''],
        [`${m.workers} workers / ${w1} (executed)`, ratio(exec.rps / executed.rps), '', '', '', '', '', ''],
      ];
    });
    const workerGoals = more.map((m, i) => {
      const [cached, exec] = [moreResults[2 * i], moreResults[2 * i + 1]];
      return {
        text: `read throughput grows with workers (${m.workers} vs ${w1})`,
        met: cached.rps > viaGateway.rps && exec.rps > executed.rps,
        measured: `cached ${ratio(cached.rps / viaGateway.rps)} (${int(cached.rps)} vs ${int(viaGateway.rps)} req/s), executed ${ratio(exec.rps / executed.rps)} (${int(exec.rps)} vs ${int(executed.rps)} req/s)`,
      };
    });
    const gatewayBackendRequests = gw.info.localAri ? String(gatewayGets) : 'n/a (real ARI)';
    const x = viaGateway.rps / direct.rps;
    const notes = [
      `${ids.length} live channels (${c.endpoint}), ${c.connections} keep-alive connections, ${c.durationMs / 1000} s measured per side in ${c.rounds} alternating rounds after ${c.warmupMs / 1000} s warm-up; load generator in the parent process, gateway and ARI simulator in one child process (each idle while the other is measured).`,
      `"backend GETs" = GET /ari/channels the simulator saw while the gateway sides were under load (0 = answered from the live view).`,
      'Every side sends what a browser\'s fetch sends, Accept-Encoding: gzip, deflate, br, except "identity" (none). The gateway keeps the answer of a live-view read until the live view changes (src/graphql/response-cache.ts) and gzips it once per change; the ARI answers uncompressed, as Asterisk does. "body" is the bytes on the wire. "executed" sends Cache-Control: no-cache: every request parsed, validated and resolved from the live view.',
      'The goal is read off the first row: clients as they are. The identity and executed rows show what compression and the response cache each contribute.',
    ];
    if (more.length)
      notes.push(
        `The first rows are a gateway of ${w1} worker process(es). "N workers" rows: a gateway of N worker processes (src/cluster/) in another child with its own ARI simulator and ${c.channels} channels, interleaved in the same rounds; the load generator, both gateway children and the simulators share the machine's cores.`,
      );
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
        ...workerRows,
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
        ...workerGoals,
      ],
      notes,
    };
  } finally {
    await hangupAll(rest, ids).catch(() => undefined);
    await gw.close();
    for (const m of more) {
      await hangupAll(m.rest, m.ids).catch(() => undefined);
      await m.gw.close();
    }
  }
}
