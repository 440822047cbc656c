/**
 * CPU time of one compiled execution of suite a's `channels` query over N live-view channels,
 * plus the JSON.stringify a response needs, in process (no HTTP, no Apollo): the measure for
 * small changes to resolvers and loaders, which on a shared machine HTTP req/s cannot resolve.
 * Run it on each side of a change, alternately.
 *   node -r @swc-node/register bench/tools/execute-cpu.ts [--channels N] [--rounds N] [--ms MS] [--apollo]
 * --apollo: through Apollo Server as the HTTP adapter calls it (its pipeline, plugins, stringify).
 * --growth: old-space bytes each execution leaves (promoted garbage), instead of CPU; run with
 * `node --expose-gc`.
 */
import { parseArgs } from 'node:util';
import { getHeapSpaceStatistics } from 'node:v8';
import { parse } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { defaultSecurity } from '../../src/config';
import { startApollo } from '../../src/http/apollo';
import type { Backend } from '../../src/backends/types';
import { BackendRegistry } from '../../src/backends/registry';
import { mapChannel } from '../../src/backends/ari/map';
import type { Principal } from '../../src/auth/principal';
import type { Channel } from '../../src/domain/channel';
import { createContext, type GatewayServices } from '../../src/graphql/context';
import { CompiledQueries } from '../../src/graphql/executor';
import { getSchema } from '../../src/graphql/schema';
import { CHANNELS_BODY, CHANNELS_QUERY } from '../suites/queries';

const PRINCIPAL: Principal = {
  id: 'bench',
  name: 'bench admin',
  role: 'ADMIN',
  scope: { all: true, accountIds: [], backends: [] },
  recipientId: null,
};

function liveChannels(n: number): Map<string, Channel> {
  const m = new Map<string, Channel>();
  for (let i = 0; i < n; i++) {
    const id = `1765000000.${i}`;
    m.set(
      id,
      mapChannel('pbx1', {
        id,
        name: `PJSIP/alice-${String(i).padStart(8, '0')}`,
        state: 'Up',
        caller: { name: 'Alice', number: '1000' },
        connected: { name: '', number: '' },
        accountcode: '',
        dialplan: { context: 'default', exten: 's', priority: 1, app_name: 'Stasis', app_data: 'patchbay' },
        creationtime: '2026-12-07T20:00:00.000+0000',
        language: 'en',
        protocol_id: '',
      } as never),
    );
  }
  return m;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      channels: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '7' },
      ms: { type: 'string', default: '1000' },
      apollo: { type: 'boolean', default: false },
      growth: { type: 'boolean', default: false },
    },
  });
  const schema = await getSchema();
  const live = liveChannels(Number(values.channels));
  const backend = {
    name: 'pbx1',
    kind: 'ari',
    url: 'http://127.0.0.1:8088/ari',
    health: () => ({ connected: true, lastError: null, lastEventAt: null }),
  } as unknown as Backend;
  const services = {
    registry: new BackendRegistry([backend]),
    events: { live: () => live, ingestStatus: () => null },
  } as unknown as GatewayServices;
  const compiled = new CompiledQueries(schema, { maxCompiled: 10, compileAfter: 0 }).lookup(
    'q',
    parse(CHANNELS_QUERY),
    'Channels',
  );
  if (!compiled) throw new Error('query did not compile');
  const apollo = values.apollo ? await startApollo(schema, defaultSecurity()) : null;
  const body = JSON.parse(CHANNELS_BODY) as unknown;
  const headers = new HeaderMap([
    ['content-type', 'application/json'],
    ['authorization', 'Bearer x'],
  ]);
  const once = async (): Promise<number> => {
    if (apollo) {
      // The HTTP adapter's call (src/http/graphql-route.ts), without a socket.
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: '', body },
        context: async () => createContext(services, 'r', PRINCIPAL),
      });
      if (response.body.kind !== 'complete') throw new Error('not a 200 answer');
      return response.body.string.length;
    }
    const result = await compiled.query(undefined, createContext(services, 'r', PRINCIPAL), {});
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return JSON.stringify(result).length;
  };
  for (let i = 0; i < 2000; i++) await once();
  if (values.growth) {
    // Old-space bytes added per execution, no full collection in between: what gets promoted.
    (globalThis as { gc?: () => void }).gc?.();
    const old = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;
    const before = old();
    const n = 300;
    for (let i = 0; i < n; i++) await once();
    console.log(`${((old() - before) / n / 1024).toFixed(1)} KB old space added per execution`);
    return;
  }
  const perRound: number[] = [];
  for (let r = 0; r < Number(values.rounds); r++) {
    const end = performance.now() + Number(values.ms);
    const c0 = process.cpuUsage();
    let n = 0;
    while (performance.now() < end) {
      await once();
      n++;
    }
    const c = process.cpuUsage(c0);
    perRound.push((c.user + c.system) / n);
  }
  perRound.sort((a, b) => a - b);
  const median = perRound[Math.floor(perRound.length / 2)];
  console.log(
    `${values.channels} channels: ${median.toFixed(0)} µs CPU per execution + stringify (median of ${perRound.length} rounds, min ${perRound[0].toFixed(0)})`,
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
