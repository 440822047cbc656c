/**
 * d. graphql-ws fan-out: S subscribers with the identical `channelEvents` document on one
 * gateway, events at a steady rate (originate → ChannelCreated, hangup → ChannelDestroyed),
 * event-to-client latency from the backend's own timestamp, and server heap per idle
 * subscriber. Gateway in its own process (heap read there after GC, over IPC); clients spread
 * over a few processes.
 */
import { AriRest } from '../lib/ari-rest';
import type { BenchConfig } from '../lib/cli';
import { forkChild, type RpcChild } from '../lib/child-rpc';
import { waitUntil } from '../lib/gql';
import { progress, type Goal, type SuiteResult } from '../lib/report';
import { int, kb, ms, summarize } from '../lib/stats';
import type { ClientCommands, ClientReport, FloorCommands } from '../fanout/protocol';
import { startGatewayChild, type GatewayChild } from '../server/handle';

const SUBSCRIPTION = `subscription Calls {
  channelEvents(filter: { types: [CHANNEL_CREATED, CHANNEL_DESTROYED] }) {
    __typename cursor occurredAt receivedAt channelId
    channel { id state caller { name number } }
    ... on ChannelDestroyed { causeCode causeText }
  }
}`;
const CONNECT_CHUNK = 500;
const CONNECT_PARALLEL = 50;
const DRAIN_TIMEOUT_MS = 60_000;
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

interface SizeResult {
  size: number;
  heapPerSub: number;
  rssPerSub: number;
  connectMs: number;
  delivered: number;
  expected: number;
  latency: ReturnType<typeof summarize>;
  clientErrors: string[];
  /** Dispatcher listeners added by `size` subscribers: shared execution makes this 1 (per distinct stream). */
  streams: number;
  /** Bytes of a `next` message as clients received it. */
  nextBytes: number;
  /** CPU per event of the gateway child: the whole gateway with its ARI simulator, or a cluster's primary (database, relays, simulator). */
  cpuMsPerEvent: number;
  /** CPU per event of the busiest worker; null for one process. */
  workerCpuMsPerEvent: number | null;
}

interface FloorResult {
  size: number;
  delivered: number;
  expected: number;
  latency: ReturnType<typeof summarize>;
  /** The write loop's own time per event, ms (in the floor process). */
  loopMs: number[];
  clientErrors: string[];
}

/** Latencies by event out of the clients' reports: all of them, the errors, and each event's slowest. */
function collect(reports: ClientReport[]): { latencies: number[]; clientErrors: string[]; lastPerEvent: number[] } {
  const byEvent = new Map<string, number[]>();
  for (const r of reports)
    for (const [cursor, list] of Object.entries(r.byCursor))
      byEvent.set(cursor, [...(byEvent.get(cursor) ?? []), ...list]);
  return {
    latencies: [...byEvent.values()].flat(),
    clientErrors: reports.filter((r) => r.errors).map((r) => `${r.errors} errors, first: ${r.firstError}`),
    lastPerEvent: [...byEvent.values()].map((l) => Math.round(summarize(l).max)),
  };
}

async function waitDelivered(clients: RpcChild<ClientCommands>[], expected: number): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const delivered = (await Promise.all(clients.map((cl) => cl.call('count', {})))).reduce((a, b) => a + b, 0);
    if (delivered >= expected || Date.now() > deadline) return;
    await sleep(200);
  }
}

/** One event every interval: originate, then hang the same channel up. Returns the count sent. */
async function driveEvents(rest: AriRest, endpoint: string, events: number, intervalMs: number): Promise<number> {
  let sent = 0;
  let next = performance.now();
  let open: string | null = null;
  while (sent < events) {
    next += intervalMs;
    if (open === null) open = await rest.originate(endpoint);
    else {
      await rest.hangup(open);
      open = null;
    }
    sent++;
    await sleep(Math.max(0, next - performance.now()));
  }
  // An odd count leaves one channel up: hang it up unmeasured (its event arrives after reset).
  if (open !== null) await rest.hangup(open);
  return sent;
}

/** Subscribers up to `size` on one gateway; memory read once they are idle. */
async function connectSize(c: BenchConfig, side: Side, size: number): Promise<Connected> {
  const { gw, clients, state } = side;
  const ws = gw.info.gatewayUrl.replace(/^http/, 'ws');
  const t0 = performance.now();
  while (state.open < size) {
    const n = Math.min(CONNECT_CHUNK * clients.length, size - state.open);
    const share = clients.map((_, i) => Math.floor(n / clients.length) + (i < n % clients.length ? 1 : 0));
    await Promise.all(
      clients.map((cl, i) =>
        share[i]
          ? cl.call(
              'connect',
              { url: ws, apiKey: gw.info.apiKey, n: share[i], query: SUBSCRIPTION, parallel: CONNECT_PARALLEL },
              120_000,
            )
          : null,
      ),
    );
    state.open += n;
    progress(`d: workers ${side.workers}: ${int(state.open)}/${int(size)} subscribers connected`);
  }
  // Identical documents share one execution (src/graphql/shared-subscriptions.ts), so the
  // dispatcher sees one listener, not `size`: the server's subscription gauge counts subscribers.
  await waitUntil(
    async () => (await gw.rpc.call('subscriptions', {})) >= state.baseSubscriptions + size,
    `${size} server-side subscriptions`,
    60_000,
    100,
  );
  const streams = (await gw.rpc.call('listeners', {})) - state.baseListeners;
  const connectMs = performance.now() - t0;
  const mem = await gw.rpc.call('memory', { gc: true });
  const heapPerSub = (mem.heapUsed - state.baseHeap) / size;
  const rssPerSub = (mem.rss - state.baseRss) / size;
  progress(`d: workers ${side.workers}: ${int(size)} idle subscribers: ${kb(heapPerSub)} heap each`);
  return { connectMs, streams, heapPerSub, rssPerSub };
}

interface Connected {
  connectMs: number;
  streams: number;
  heapPerSub: number;
  rssPerSub: number;
}

/** CPU (µs) so far of the gateway child (with workers: the primary), then of each worker. */
async function gatewayCpu(side: Side): Promise<number[]> {
  return [await side.gw.rpc.call('cpu', {}), ...(await side.gw.rpc.call('workerCpu', {}))];
}

/**
 * Events on every gateway in the same minutes: event i goes to gateway i mod sides, one every
 * interval, so load from elsewhere on the machine hits every side alike.
 */
async function measureEvents(
  c: BenchConfig,
  sides: Side[],
  size: number,
  connected: Connected[],
): Promise<SizeResult[]> {
  progress(
    `d: ${int(size)} subscribers on each gateway; sending ${c.fanoutEvents} events to each, interleaved, one per ${c.eventIntervalMs} ms`,
  );
  await Promise.all(sides.flatMap((side) => side.clients.map((cl) => cl.call('reset', {}))));
  const cpuBefore = await Promise.all(sides.map(gatewayCpu));
  const open: Array<string | null> = sides.map(() => null);
  let next = performance.now();
  for (let i = 0; i < c.fanoutEvents * sides.length; i++) {
    next += c.eventIntervalMs;
    const k = i % sides.length;
    if (open[k] === null) open[k] = await sides[k].rest.originate(c.endpoint);
    else {
      await sides[k].rest.hangup(open[k]!);
      open[k] = null;
    }
    await sleep(Math.max(0, next - performance.now()));
  }
  const results: SizeResult[] = [];
  for (const [k, side] of sides.entries()) {
    const expected = c.fanoutEvents * size;
    await waitDelivered(side.clients, expected);
    const cpuAfter = await gatewayCpu(side);
    // An odd count leaves one channel up: hang it up unmeasured (its event arrives after the report).
    const reports = await Promise.all(side.clients.map((cl) => cl.call('report', {}, 120_000)));
    if (open[k] !== null) await side.rest.hangup(open[k]!);
    const { latencies, clientErrors, lastPerEvent } = collect(reports);
    const latency = summarize(latencies);
    const perEvent = cpuAfter.map((t, i) => (t - cpuBefore[k][i]) / 1000 / c.fanoutEvents);
    const cpuMsPerEvent = perEvent[0];
    // Workers write to their subscribers in parallel: the busiest one bounds delivery.
    const workerCpuMsPerEvent = perEvent.length > 1 ? Math.max(...perEvent.slice(1)) : null;
    progress(
      `d: workers ${side.workers}, ${int(size)} subscribers: delivered ${int(latencies.length)}/${int(expected)}, p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, CPU per event: gateway child ${ms(cpuMsPerEvent)}, busiest worker ${workerCpuMsPerEvent === null ? '-' : ms(workerCpuMsPerEvent)}; last subscriber per event (ms): ${lastPerEvent.join(' ')}`,
    );
    results.push({
      size,
      ...connected[k],
      delivered: latencies.length,
      expected,
      latency,
      clientErrors,
      nextBytes: Math.max(...reports.map((r) => r.nextBytes)),
      cpuMsPerEvent,
      workerCpuMsPerEvent,
    });
  }
  return results;
}

/**
 * The same clients, as many plain TCP connections as subscribers, and the same number of events
 * at the same interval, each one frame of the gateway's size written to every socket: what the
 * fan-out costs on this machine below the gateway (kernel, loopback, the clients' own reading).
 */
async function measureFloor(
  c: BenchConfig,
  floor: RpcChild<FloorCommands>,
  port: number,
  clients: RpcChild<ClientCommands>[],
  size: number,
  bytes: number,
): Promise<FloorResult> {
  const share = clients.map((_, i) => Math.floor(size / clients.length) + (i < size % clients.length ? 1 : 0));
  await Promise.all(
    clients.map((cl, i) =>
      share[i] ? cl.call('connectPlain', { port, n: share[i], parallel: CONNECT_PARALLEL }, 120_000) : null,
    ),
  );
  await waitUntil(async () => (await floor.call('connected', {})) >= size, `${size} plain connections`, 60_000, 100);
  await Promise.all(clients.map((cl) => cl.call('reset', {})));
  const loopMs: number[] = [];
  let next = performance.now();
  for (let i = 0; i < c.fanoutEvents; i++) {
    next += c.eventIntervalMs;
    loopMs.push((await floor.call('send', { bytes })).loopMs);
    await sleep(Math.max(0, next - performance.now()));
  }
  const expected = c.fanoutEvents * size;
  await waitDelivered(clients, expected);
  const { latencies, clientErrors, lastPerEvent } = collect(
    await Promise.all(clients.map((cl) => cl.call('report', {}, 120_000))),
  );
  await Promise.all(clients.map((cl) => cl.call('closePlain', {})));
  await waitUntil(async () => (await floor.call('connected', {})) === 0, 'plain connections closed', 30_000, 100);
  const latency = summarize(latencies);
  progress(
    `d: floor, ${int(size)} plain TCP sockets: p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}; write loop per event (ms): ${loopMs.join(' ')}; last socket per event (ms): ${lastPerEvent.join(' ')}`,
  );
  return { size, delivered: latencies.length, expected, latency, loopMs, clientErrors };
}

interface Side {
  workers: number;
  gw: GatewayChild;
  rest: AriRest;
  /** Client processes of this gateway's subscribers (their reports tell gateways apart). */
  clients: RpcChild<ClientCommands>[];
  state: { open: number; baseListeners: number; baseSubscriptions: number; baseHeap: number; baseRss: number };
  sizes: SizeResult[];
}

async function prepare(c: BenchConfig, workers: number): Promise<Side> {
  const gw = await startGatewayChild({ ari: c.ari, liveView: true, workers });
  const clients = Array.from({ length: c.fanoutProcs }, (_, i) =>
    forkChild<ClientCommands>('bench/fanout/client-child.ts', { name: `fan-out client ${i + 1} (workers ${workers})` }),
  );
  const rest = new AriRest(gw.info.ari);
  // One call through before the baseline, so lazily built server state is not counted per subscriber.
  await driveEvents(rest, c.endpoint, 2, 100);
  await sleep(300);
  const base = await gw.rpc.call('memory', { gc: true });
  const state = {
    open: 0,
    baseListeners: await gw.rpc.call('listeners', {}),
    baseSubscriptions: await gw.rpc.call('subscriptions', {}),
    baseHeap: base.heapUsed,
    baseRss: base.rss,
  };
  return { workers, gw, rest, clients, state, sizes: [] };
}

export async function fanout(c: BenchConfig): Promise<SuiteResult> {
  const floor = forkChild<FloorCommands>('bench/fanout/tcp-floor-child.ts', { name: 'TCP floor' });
  const sides: Side[] = [];
  try {
    // Every gateway runs its own ARI simulator: events driven through one reach only its subscribers.
    for (const w of c.workers) sides.push(await prepare(c, w));
    const { port: floorPort } = await floor.call('listen', {});
    const floors: FloorResult[] = [];
    for (const size of c.fanoutSizes) {
      const connected: Connected[] = [];
      for (const side of sides) connected.push(await connectSize(c, side, size));
      const measured = await measureEvents(c, sides, size, connected);
      measured.forEach((m, k) => sides[k].sizes.push(m));
      floors.push(await measureFloor(c, floor, floorPort, sides[0].clients, size, measured[0].nextBytes));
    }
    // The goal is the default's: one worker per core (the last of --workers).
    const main = sides[sides.length - 1];
    const sizes = main.sizes;
    const goals: Goal[] = [];
    const at5k = sizes.find((s) => s.size === 5000);
    goals.push(
      at5k
        ? {
            text: 'p99 event-to-client < 100 ms at 5,000 subscribers',
            met: at5k.latency.p99 < 100 && at5k.delivered === at5k.expected,
            measured: `${ms(at5k.latency.p99)} (p50 ${ms(at5k.latency.p50)}) with ${main.workers} workers; ${sides
              .filter((x) => x !== main)
              .map((x) => `${x.workers} worker(s): ${ms(x.sizes[sizes.indexOf(at5k)].latency.p99)}; `)
              .join('')}plain TCP floor here: p99 ${ms(floors[sizes.indexOf(at5k)].latency.p99)}`,
          }
        : { text: 'p99 event-to-client < 100 ms at 5,000 subscribers', met: null, measured: 'size 5,000 not run' },
    );
    // Heap is read in the gateway child; a cluster's subscribers live in its workers.
    const one = sides.find((x) => x.workers === 1);
    const largest = (one ?? main).sizes[sizes.length - 1];
    if (one)
      goals.push({
        text: `heap per idle subscription < 10 KB (at ${int(largest.size)})`,
        met: largest.heapPerSub < 10 * 1024,
        measured: kb(largest.heapPerSub),
      });
    const notes = [
      `Subscription: channelEvents filtered to CHANNEL_CREATED/CHANNEL_DESTROYED, identical document on every connection; ${c.fanoutEvents} events per size, one every ${c.eventIntervalMs} ms (originate / hangup of ${c.endpoint} over ARI REST).`,
      "Latency = client receive time − the event's occurredAt (the ARI event timestamp, ms resolution; simulator, gateway and clients share one host clock). Heap = gateway child heapUsed after two forced GCs minus the baseline before any subscriber, divided by subscribers (includes the ws connection, graphql-ws and the subscription's stream).",
      '"server streams" = dispatcher listeners the subscribers added: identical live subscriptions of one key share one execution per event (src/graphql/shared-subscriptions.ts).',
      `Every client presents the bench's ADMIN key (connection_init payload); the gateway child raises the per-key limits (sockets, rate) for the bench, the checks still run.`,
      `Clients: ${c.fanoutProcs} processes speaking graphql-transport-ws over ws; all processes share the machine's cores with the gateway.`,
      `Gateways: ${sides.map((x) => `workers ${x.workers}`).join(', ')}, each in its own child with its own ARI simulator and its own ${c.fanoutProcs} client processes, all connected before the events; events alternate between the gateways (event i to gateway i mod ${sides.length}), so outside load hits both alike; then the floor. With workers > 1 the child is the cluster's primary (src/cluster/): heap and rss per subscriber are not read there ("-"), the subscribers live in the workers. "CPU/event" = CPU time (process.cpuUsage) over the events, per event: "child" is the gateway child — for one process the whole gateway with its ARI simulator and PGlite, for a cluster its primary (PGlite, the relays, the simulator, accepting connections); "worker" is the busiest worker (workers write to their subscribers in parallel).`,
    ];
    notes.push(
      '"plain TCP" rows: the floor under the gateway on this machine, measured between sizes with the same client processes: as many plain TCP connections as subscribers, the same number of events at the same interval, each event one frame of the gateway\'s `next` size written with net.Socket write to every socket (the gateway\'s delivery loop writes the same way, one prepared frame per socket). Latency there is from the start of the write loop, so it leaves out what the gateway row includes before its loop (ARI event, ingest, journal). "connect" holds the write loop\'s time per event (median).',
    );
    for (const side of sides)
      for (const s of side.sizes)
        for (const e of s.clientErrors) notes.push(`${int(s.size)} subscribers, workers ${side.workers}: client ${e}`);
    for (const f of floors) for (const e of f.clientErrors) notes.push(`${int(f.size)} plain TCP sockets: client ${e}`);
    return {
      id: 'd',
      title: 'subscription fan-out (graphql-ws, identical documents)',
      headers: [
        'subscribers',
        'workers',
        'connect (this step)',
        'heap/sub',
        'rss/sub',
        'server streams',
        'CPU/event child',
        'CPU/event worker',
        'delivered',
        'p50',
        'p99',
        'max',
      ],
      rows: sizes.flatMap((_, i) => {
        const f = floors[i];
        return [
          ...sides.map((side) => {
            const s = side.sizes[i];
            return [
              int(s.size),
              String(side.workers),
              ms(s.connectMs),
              side.workers === 1 ? kb(s.heapPerSub) : '-',
              side.workers === 1 ? kb(s.rssPerSub) : '-',
              int(s.streams),
              ms(s.cpuMsPerEvent),
              s.workerCpuMsPerEvent === null ? '-' : ms(s.workerCpuMsPerEvent),
              `${int(s.delivered)}/${int(s.expected)}`,
              ms(s.latency.p50),
              ms(s.latency.p99),
              ms(s.latency.max),
            ];
          }),
          [
            `${int(f.size)} plain TCP`,
            '-',
            `loop ${ms(summarize(f.loopMs).p50)}`,
            '-',
            '-',
            '-',
            '-',
            '-',
            `${int(f.delivered)}/${int(f.expected)}`,
            ms(f.latency.p50),
            ms(f.latency.p99),
            ms(f.latency.max),
          ],
        ];
      }),
      goals,
      notes,
    };
  } finally {
    await Promise.all(sides.flatMap((x) => x.clients.map((cl) => cl.close())));
    await floor.close();
    await Promise.all(sides.map((x) => x.gw.close()));
  }
}
