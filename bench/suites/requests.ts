/**
 * c. Backend requests per query as N grows (N ARI channels, N KAZOO calls, N agents), counted in
 * the simulators' request logs, with the live view off and on. Needs the local simulators.
 */
import { AriRest } from '../lib/ari-rest';
import type { BenchConfig } from '../lib/cli';
import { gql, waitUntil } from '../lib/gql';
import { hangupAll, originateMany, waitForGateway } from '../lib/live-channels';
import { progress, type Goal, type SuiteResult } from '../lib/report';
import { startGatewayChild, type GatewayChild } from '../server/handle';

const QUERIES: Array<{ name: string; doc: (accountId: string) => string }> = [
  {
    name: 'channels (list fields, ARI + KAZOO)',
    doc: () =>
      '{ channels { id name state caller { name number } connected { number } dialplan { context exten } backend { name kind } capabilities } }',
  },
  {
    name: 'channels + rtpStats + variable (ARI)',
    doc: () =>
      '{ channels(filter: { backend: "pbx1" }) { id state rtpStats { rxCount rxJitter rtt } variable(name: "CALLERID(name)") } }',
  },
  {
    name: 'recipients + status (KAZOO)',
    doc: (a) =>
      `{ recipients(accountId: "${a}") { id name status { loggedIn availabilityState queueAvailability { queueId available } } } }`,
  },
  {
    name: 'recipients + status + config (KAZOO)',
    doc: (a) =>
      `{ recipients(accountId: "${a}") { id name status { loggedIn availabilityState } config { enabled hasPin } } }`,
  },
];

/** "3x GET /ari/channels/{id}/rtp_statistics" style, auth PUTs left out (token refresh is not per query). */
function describe(lines: string[]): { count: number; text: string } {
  const kept = lines.filter((l) => !/^PUT \/v2\/(api|user)_auth$/.test(l));
  const counts = new Map<string, number>();
  for (const l of kept) {
    const key = l
      .replace(/\/channels\/[^/]+/, '/channels/{id}')
      .replace(/\/accounts\/[0-9a-f]{32}/, '/accounts/{acct}')
      .replace(/\/qubicle_recipients\/[0-9a-f]{32}/, '/qubicle_recipients/{id}')
      .replace(/\/users\/[0-9a-f]{32}/, '/users/{id}');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { count: kept.length, text: [...counts].map(([k, n]) => `${n}× ${k}`).join(', ') || 'none' };
}

async function measureMode(
  c: BenchConfig,
  liveView: boolean,
): Promise<Array<{ query: string; perN: Array<{ n: number; count: number; text: string }> }>> {
  const gw: GatewayChild = await startGatewayChild({ liveView, kazoo: true });
  const rest = new AriRest(gw.info.ari);
  const ids: string[] = [];
  const out = QUERIES.map((q) => ({ query: q.name, perN: [] as Array<{ n: number; count: number; text: string }> }));
  try {
    for (const n of c.requestSizes) {
      progress(`c: live view ${liveView ? 'on' : 'off'}, N = ${n}`);
      ids.push(...(await originateMany(rest, c.endpoint, n - ids.length)));
      const k = await gw.rpc.call('kazooPopulate', { recipients: n, calls: n });
      await waitForGateway(gw.info, ids);
      await waitUntil(
        async () =>
          (await gql<{ channels: unknown[] }>(gw.info, '{ channels(filter: { backend: "kz" }) { id } }')).channels
            .length >= n,
        `${n} KAZOO channels`,
      );
      for (const [i, q] of QUERIES.entries()) {
        const doc = q.doc(k.accountId);
        await gql(gw.info, doc); // warm: token fetch, first-time paths
        await gw.rpc.call('requests', { reset: true });
        await gql(gw.info, doc);
        const r = await gw.rpc.call('requests', { reset: true });
        const d = describe([...r.ari, ...r.kazoo]);
        out[i].perN.push({ n, ...d });
      }
    }
    return out;
  } finally {
    await hangupAll(rest, ids).catch(() => undefined);
    await gw.close();
  }
}

export async function requestsPerQuery(c: BenchConfig): Promise<SuiteResult> {
  if (c.ari) throw new Error("c counts requests in the local simulators' logs: run it without --ari-url");
  const rows: string[][] = [];
  const goals: Goal[] = [];
  for (const liveView of [false, true]) {
    const measured = await measureMode(c, liveView);
    for (const m of measured) {
      const counts = m.perN.map((p) => p.count);
      const constant = counts.every((x) => x === counts[0]);
      rows.push([
        m.query,
        liveView ? 'on' : 'off',
        ...m.perN.map((p) => String(p.count)),
        m.perN[m.perN.length - 1].text,
      ]);
      goals.push({
        text: `constant backend requests: ${m.query}, live view ${liveView ? 'on' : 'off'}`,
        met: constant,
        measured: counts.join(' / '),
      });
    }
  }
  return {
    id: 'c',
    title: `backend requests per query for N = ${c.requestSizes.join(', ')}`,
    headers: [
      'query',
      'live view',
      ...c.requestSizes.map((n) => `N=${n}`),
      `requests at N=${c.requestSizes[c.requestSizes.length - 1]}`,
    ],
    rows,
    goals,
    notes: [
      "N ARI channels (originated into the Stasis app), N KAZOO calls on the gateway's account and N Qubicle agents in an account of their own; each query run once to warm up, then once counted in the ARI and Crossbar request logs (token PUTs to /api_auth left out).",
      "Per-item fields have no batch form on the wire: ARI serves RTP statistics and variables one channel at a time (GET /channels/{id}/rtp_statistics, /variable); those rows grow with N by construction. A recipient's config comes from its own user document (GET /qubicle_recipients/{id}; its status is not read again, the batch POST already has it), so the first read of each agent's config costs one GET (paid here by the warm-up query), and the KAZOO backend then keeps it for as long as Blackhole would report an edit of that document (the agents' account is a child of the gateway's, watched with object.*.user from its first read; any reconnect empties the cache). The counted query is therefore the listing GET plus the status POST at any N.",
      "The recipients listing is asked for whole (paginate=false), so it stays one GET past Crossbar's 50-row default page; recipients + status is that GET plus one batch status POST at any N.",
    ],
  };
}
