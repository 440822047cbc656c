/**
 * CPU per request on suite a's sides, read from the gateway child's /proc stat (user + system),
 * so the figure holds on a loaded machine where req/s does not. Also a static-reply server in a
 * process of its own (the same 33 KB answer for every request): the load generator's ceiling.
 *   node -r @swc-node/register bench/tools/read-cpu.ts [--duration S] [--rounds N] [--channels N] [--only a,b]
 *     [--baseline DIR]
 * Sides: cached (gzip), identity, executed (no-cache), direct ARI, static. --baseline: a second
 * gateway child run from DIR (e.g. `git archive <commit>` with node_modules and src/generated
 * linked in) adds its own cached and executed sides: a same-run A/B against older code.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AriRest } from '../lib/ari-rest';
import { BROWSER_ACCEPT_ENCODING, gqlHeaders, NO_CACHE } from '../lib/gql';
import { httpSide, type Phase, type Side } from '../lib/http-load';
import { hangupAll, originateMany, waitForGateway } from '../lib/live-channels';
import { int } from '../lib/stats';
import { startGatewayChild } from '../server/handle';
import { CHANNELS_BODY, checkChannelsAnswer } from '../suites/queries';

const LOAD = { connections: 50, maxRequests: 1_000_000 };
const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

/** User + system CPU of a process so far, in µs. */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

interface Tally {
  requests: number;
  cpuUs: number;
  ms: number;
}

function measured(side: Side, pid: () => number, t: Tally): Side {
  return async (d, record) => {
    const c0 = cpuOf(pid());
    const p: Phase = await side(d, record);
    if (record) {
      t.cpuUs += cpuOf(pid()) - c0;
      t.requests += p.requests - p.errors;
      t.ms += p.elapsedMs;
      if (p.errors) console.error(`errors: ${p.errors}, first: ${p.firstError}`);
    }
    return p;
  };
}

async function staticServer(body: string): Promise<{ url: string; pid: number; stop(): void }> {
  const code = `const b=Buffer.from(process.env.BODY);require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json','content-length':b.length});s.end(b)})}).listen(0,'127.0.0.1',function(){process.send(this.address().port)})`;
  const p = spawn(process.execPath, ['-e', code], {
    env: { ...process.env, BODY: body },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) => p.once('message', (m) => resolve(m as number)));
  return { url: `http://127.0.0.1:${port}/`, pid: p.pid!, stop: () => p.kill() };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '4' },
      channels: { type: 'string', default: '100' },
      only: { type: 'string', default: 'cached,identity,executed,direct,static' },
      baseline: { type: 'string' },
    },
  });
  const channels = Number(values.channels);
  const only = new Set(values.only.split(','));
  const gw = await startGatewayChild({ liveView: true });
  const base = values.baseline ? await startGatewayChild({ liveView: true }, {}, values.baseline) : undefined;
  const rest = new AriRest(gw.info.ari);
  const baseRest = base && new AriRest(base.info.ari);
  const ids = await originateMany(rest, 'PJSIP/alice', channels);
  const baseIds = baseRest ? await originateMany(baseRest, 'PJSIP/alice', channels) : [];
  let stat: Awaited<ReturnType<typeof staticServer>> | undefined;
  try {
    await waitForGateway(gw.info, ids);
    if (base) await waitForGateway(base.info, baseIds);
    const sample = await fetch(gw.info.gatewayUrl, {
      method: 'POST',
      headers: gqlHeaders(gw.info.apiKey),
      body: CHANNELS_BODY,
    }).then((r) => r.text());
    stat = await staticServer(sample);
    const gwPid = () => gw.rpc.process.pid!;
    const as = (extra: Record<string, string>, target = gw) =>
      httpSide(
        {
          method: 'POST',
          url: target.info.gatewayUrl,
          headers: gqlHeaders(target.info.apiKey, extra),
          body: CHANNELS_BODY,
        },
        { ...LOAD, check: checkChannelsAnswer(ids.length) },
      );
    const all: [string, Side & { close(): void }, () => number][] = [
      ['cached', as(BROWSER_ACCEPT_ENCODING), gwPid],
      ['identity', as({}), gwPid],
      ['executed', as({ ...BROWSER_ACCEPT_ENCODING, ...NO_CACHE }), gwPid],
      [
        'direct',
        httpSide(
          { method: 'GET', url: rest.channelsUrl, headers: { ...rest.authHeader, ...BROWSER_ACCEPT_ENCODING } },
          LOAD,
        ),
        gwPid,
      ],
      ['static', httpSide({ method: 'GET', url: stat.url, headers: BROWSER_ACCEPT_ENCODING }, LOAD), () => stat!.pid],
    ];
    if (base) {
      const basePid = () => base.rpc.process.pid!;
      all.push(
        ['cached (baseline)', as(BROWSER_ACCEPT_ENCODING, base), basePid],
        ['executed (baseline)', as({ ...BROWSER_ACCEPT_ENCODING, ...NO_CACHE }, base), basePid],
      );
    }
    const sides = all.filter(([n]) => only.has(n.replace(' (baseline)', '')));
    const tallies = sides.map(() => ({ requests: 0, cpuUs: 0, ms: 0 }));
    const runners = sides.map(([, s, pid], i) => measured(s, pid, tallies[i]));
    for (const r of runners) await r(1000, false);
    const slice = (Number(values.duration) * 1000) / Number(values.rounds);
    for (let round = 0; round < Number(values.rounds); round++) for (const r of runners) await r(slice, true);
    for (const [, s] of sides) s.close();
    console.log(`${ids.length} live channels, ${LOAD.connections} connections; server CPU from /proc (user+system)\n`);
    console.log('| side | req/s | server CPU µs/request | server CPU share |\n| --- | --- | --- | --- |');
    sides.forEach(([name], i) => {
      const t = tallies[i];
      console.log(
        `| ${name} | ${int((t.requests / t.ms) * 1000)} | ${int(t.cpuUs / t.requests)} | ${((t.cpuUs / 1000 / t.ms) * 100).toFixed(0)}% |`,
      );
    });
  } finally {
    stat?.stop();
    await hangupAll(rest, ids).catch(() => undefined);
    if (baseRest) await hangupAll(baseRest, baseIds).catch(() => undefined);
    await gw.close();
    await base?.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
