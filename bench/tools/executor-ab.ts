/**
 * Same-run A/B of the compiled executor (src/graphql/executor.ts) on suite a's executed row:
 * two gateway children, one with compiled queries and one with PATCHBAY_COMPILED_QUERIES=0,
 * each over its own ARI simulator with the same number of live channels; `Cache-Control:
 * no-cache` channels queries on each and `GET /ari/channels` on the second, sides alternating.
 *   node -r @swc-node/register bench/tools/executor-ab.ts [--duration S] [--rounds N] [--channels N]
 */
import { parseArgs } from 'node:util';
import { AriRest } from '../lib/ari-rest';
import { BROWSER_ACCEPT_ENCODING, gqlHeaders, NO_CACHE } from '../lib/gql';
import { httpSide, interleave, type LoadResult } from '../lib/http-load';
import { hangupAll, originateMany, waitForGateway } from '../lib/live-channels';
import { int, ms, ratio } from '../lib/stats';
import { startGatewayChild, type GatewayChild } from '../server/handle';
import { CHANNELS_BODY, checkChannelsAnswer } from '../suites/queries';

const ENDPOINT = 'PJSIP/alice';
const LOAD = { connections: 50, maxRequests: 1_000_000 };

interface Armed {
  gw: GatewayChild;
  rest: AriRest;
  ids: string[];
}

async function arm(env: Record<string, string>, channels: number): Promise<Armed> {
  const gw = await startGatewayChild({ liveView: true }, env);
  const rest = new AriRest(gw.info.ari);
  const ids = await originateMany(rest, ENDPOINT, channels);
  await waitForGateway(gw.info, ids);
  return { gw, rest, ids };
}

function executedSide(a: Armed) {
  const headers = gqlHeaders(a.gw.info.apiKey, { ...BROWSER_ACCEPT_ENCODING, ...NO_CACHE });
  return httpSide(
    { method: 'POST', url: a.gw.info.gatewayUrl, headers, body: CHANNELS_BODY },
    { ...LOAD, check: checkChannelsAnswer(a.ids.length) },
  );
}

function line(label: string, r: LoadResult): string {
  return `| ${label} | ${int(r.rps)} | ${ms(r.latency.p50)} | ${ms(r.latency.p99)} | ${int(r.requests)} | ${int(r.errors)} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '4' },
      channels: { type: 'string', default: '100' },
    },
  });
  const channels = Number(values.channels);
  const armed: Armed[] = [];
  try {
    armed.push(await arm({}, channels), await arm({ PATCHBAY_COMPILED_QUERIES: '0' }, channels));
    const [on, off] = armed;
    const compiled = executedSide(on);
    const plain = executedSide(off);
    // Direct against the second child's ARI: a profile of the first (BENCH_GATEWAY_NODE_ARGS) then holds compiled executions only.
    const direct = httpSide(
      { method: 'GET', url: off.rest.channelsUrl, headers: { ...off.rest.authHeader, ...BROWSER_ACCEPT_ENCODING } },
      LOAD,
    );
    const [c, p, d] = await interleave([compiled, plain, direct], {
      durationMs: Number(values.duration) * 1000,
      warmupMs: 1000,
      rounds: Number(values.rounds),
    });
    for (const s of [compiled, plain, direct]) s.close();
    console.log(
      `${channels} live channels, ${LOAD.connections} connections, ${values.duration} s per side in ${values.rounds} alternating rounds\n`,
    );
    console.log('| side | req/s | p50 | p99 | requests | errors |\n| --- | --- | --- | --- | --- | --- |');
    console.log(line('executed, compiled queries (graphql-jit)', c));
    console.log(line('executed, graphql-js (PATCHBAY_COMPILED_QUERIES=0)', p));
    console.log(line('direct ARI', d));
    console.log(`| compiled / graphql-js | ${ratio(c.rps / p.rps)} | | | | |`);
    console.log(`| compiled / direct | ${ratio(c.rps / d.rps)} | | | | |`);
    console.log(`| graphql-js / direct | ${ratio(p.rps / d.rps)} | | | | |`);
  } finally {
    for (const a of armed) {
      await hangupAll(a.rest, a.ids).catch(() => undefined);
      await a.gw.close();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
