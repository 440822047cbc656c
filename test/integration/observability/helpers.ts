/**
 * An observed gateway for these tests: ARI simulator (pbx1) + KAZOO simulator (kz, with
 * Blackhole), request log lines captured from the gateway's log destination, and a parser for
 * the Prometheus exposition text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AriBackend } from '../../../src/backends/ari/backend';
import type { KazooBackend } from '../../../src/backends/kazoo/backend';
import type { GatewayConfig } from '../../../src/config';
import { startGateway, type Gateway } from '../../../src/gateway';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { startKazooSimulator, type KazooSimulator } from '../../../src/simulators/kazoo';
import { ariConfig, testAriBackend, waitFor, type GraphQLResponse } from '../../helpers/gateway-harness';
import { kazooConfig, testKazooBackend } from '../gateway-kazoo/kazoo-gateway';

export interface LogCapture {
  lines: Array<Record<string, any>>;
  write(msg: string): void;
}

export function logCapture(): LogCapture {
  const lines: Array<Record<string, any>> = [];
  return {
    lines,
    write(msg: string) {
      for (const l of msg.split('\n')) if (l.trim()) lines.push(JSON.parse(l));
    },
  };
}

export interface ObservedGateway {
  gateway: Gateway;
  ari: AriSimulator;
  kazooSim: KazooSimulator;
  pbx1: AriBackend;
  kz: KazooBackend;
  log: LogCapture;
  base: string;
  gql<D = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<D> & { requestId: string | null }>;
  /** An all-scope ADMIN key; gql sends it unless headers override authorization. */
  adminKey: string;
  close(): Promise<void>;
}

export async function startObservedGateway(): Promise<ObservedGateway> {
  const [ari, kazooSim] = await Promise.all([
    startAriSimulator({ port: 0 }),
    startKazooSimulator({ timing: { channelLookupTimeoutMs: 20, actionEffectMs: 10 } }),
  ]);
  const pbx1 = testAriBackend(ariConfig('pbx1', ari));
  const kz = testKazooBackend(kazooConfig(kazooSim, kazooSim.world.customerAccount!));
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-obs-'));
  const config: GatewayConfig = {
    port: 0,
    host: '127.0.0.1',
    database: { dataDir },
    pubsub: {},
    events: { retention: { maxAgeMs: 3_600_000, maxEvents: 100_000 } },
    backends: [ariConfig('pbx1', ari), kazooConfig(kazooSim, kazooSim.world.customerAccount!)],
    demo: false,
  };
  const log = logCapture();
  const gateway = await startGateway(config, {
    backends: [pbx1, kz],
    events: { leaseTtlMs: 1500 },
    observability: { logDestination: log, drainMs: 1000 },
  });
  await waitFor(() => pbx1.health().connected && kz.health().connected, 'event sockets connected');
  const base = gateway.url.replace(/\/graphql$/, '');
  const adminKey = (await gateway.keys.create({ name: 'observability admin', role: 'ADMIN', scope: { all: true } }))
    .key;
  return {
    adminKey,
    gateway,
    ari,
    kazooSim,
    pbx1,
    kz,
    log,
    base,
    async gql(query, variables, headers = {}) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}`, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphQLResponse;
      return { ...body, status: res.status, requestId: res.headers.get('x-request-id') } as never;
    },
    async close() {
      await gateway.stop();
      await Promise.allSettled([ari.close(), kazooSim.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition (format 0.0.4) into samples; comments give the types. */
export function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name, type);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    for (let l = re.exec(m[3] ?? ''); l; l = re.exec(m[3] ?? ''))
      labels[l[1]] = l[2].replace(/\\"/g, '"').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
    samples.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return { samples, types };
}

/** The value of the one sample with this name whose labels include `labels`; undefined when none. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length > 1)
    throw new Error(`${hits.length} samples of ${name} match ${JSON.stringify(labels)}: ${JSON.stringify(hits)}`);
  return hits[0]?.value;
}

export async function scrape(
  base: string,
): Promise<{ samples: Sample[]; types: Map<string, string>; contentType: string | null }> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  return { ...parseExposition(await res.text()), contentType: res.headers.get('content-type') };
}
