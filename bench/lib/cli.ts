/** Command-line options of `npm run bench`; every size has a default that fits the full run in a few minutes. */
import { availableParallelism } from 'node:os';
import type { AriTarget } from '../server/protocol';

export const SUITES = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
export type SuiteId = (typeof SUITES)[number];

export interface BenchConfig {
  only: SuiteId[];
  /** A real ARI; absent = the ARI simulator inside the gateway child. */
  ari?: AriTarget;
  /** PostgreSQL server for the gateway's database (a fresh database per gateway child); absent: PGlite. */
  databaseUrl?: string;
  /** What originate dials (setup of live channels, mutation bench, fan-out event driver). */
  endpoint: string;
  connections: number;
  durationMs: number;
  warmupMs: number;
  /** Sides of a comparison alternate this many times within `durationMs`. */
  rounds: number;
  /** --quick: small sizes, short idle waits. */
  quick: boolean;
  maxRequests: number;
  channels: number;
  requestSizes: number[];
  fanoutSizes: number[];
  fanoutEvents: number;
  eventIntervalMs: number;
  fanoutProcs: number;
  /** Gateways compared by a (read path) and d (fan-out): worker processes of each. */
  workers: number[];
  mutations: number;
  results: string | null;
}

const HELP = `npm run bench -- [options]

  --only a,b,c,d,e,f      benchmarks to run (default all)
                          a read path, b framework overhead, c backend requests per query,
                          d subscription fan-out, e mutation overhead
  --ari-url URL           front a real ARI instead of the simulator (e.g. http://127.0.0.1:8088/ari)
  --ari-user NAME         (default asterisk)   --ari-password PW (or env ARI_PASSWORD; default asterisk)
  --ari-app NAME          Stasis app (default patchbay)
  --database-url URL      run the gateway on PostgreSQL (a fresh database per gateway, made
                          and dropped through URL, e.g. postgresql://postgres@127.0.0.1:5432/test);
                          default: the embedded PGlite
  --endpoint TECH/RES     what originate dials (default PJSIP/alice)
  --connections N         HTTP load connections (default 50)
  --duration S            measured seconds per side of a load test (default 8)
  --warmup S              unmeasured seconds before each side (default 1)
  --rounds N              sides alternate N times within the duration (default 4)
  --max-requests N        cap per load phase (default 1000000)
  --channels N            live channels for a and b (default 100)
  --request-sizes 1,10,100  N for c
  --fanout-sizes 1000,5000,10000   subscribers for d
  --fanout-events N       events measured per size (default 10)
  --event-interval MS     one event every MS (default 1000)
  --fanout-procs N        client processes for d (default 2)
  --workers 1,N           gateways compared by a and d, by worker processes (default 1 and one
                          per core: 1,${availableParallelism()}); a single value runs only that
  --mutations N           originate+hangup pairs per side for e (default 150)
  --results FILE          where to append the results (default bench/RESULTS.md); --no-results: don't
  --quick                 small sizes, for a smoke run
`;

function list(v: string): number[] {
  const out = v.split(',').map((x) => Number(x.trim()));
  if (out.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`expected a comma-separated list of positive integers, got "${v}"`);
  return out;
}

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a positive number, got "${v}"`);
  return n;
}

export function parseArgs(argv: string[]): BenchConfig {
  const c: BenchConfig = {
    only: [...SUITES],
    endpoint: 'PJSIP/alice',
    connections: 50,
    durationMs: 8000,
    warmupMs: 1000,
    rounds: 4,
    quick: false,
    maxRequests: 1_000_000,
    channels: 100,
    requestSizes: [1, 10, 100],
    fanoutSizes: [1000, 5000, 10000],
    fanoutEvents: 10,
    eventIntervalMs: 1000,
    fanoutProcs: 2,
    workers: [...new Set([1, availableParallelism()])],
    mutations: 150,
    results: 'bench/RESULTS.md',
  };
  let ariUrl: string | undefined;
  let ariUser = 'asterisk';
  let ariPassword = process.env.ARI_PASSWORD ?? 'asterisk';
  let ariApp = 'patchbay';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        process.exit(0);
      // falls through (exit never returns)
      case '--only': {
        const ids = value()
          .split(',')
          .map((s) => s.trim().toLowerCase());
        const bad = ids.filter((s) => !(SUITES as readonly string[]).includes(s));
        if (bad.length) throw new Error(`--only: unknown benchmark ${bad.join(', ')} (have ${SUITES.join(', ')})`);
        c.only = SUITES.filter((s) => ids.includes(s));
        break;
      }
      case '--ari-url':
        ariUrl = value().replace(/\/+$/, '');
        if (!/^https?:\/\//.test(ariUrl)) throw new Error(`--ari-url: expected an http(s) URL, got "${ariUrl}"`);
        break;
      case '--database-url': {
        const url = value();
        if (!/^postgres(ql)?:\/\//.test(url))
          throw new Error(`--database-url: expected a postgresql:// URL, got "${url}"`);
        c.databaseUrl = url;
        break;
      }
      case '--ari-user':
        ariUser = value();
        break;
      case '--ari-password':
        ariPassword = value();
        break;
      case '--ari-app':
        ariApp = value();
        break;
      case '--endpoint':
        c.endpoint = value();
        break;
      case '--connections':
        c.connections = Math.round(positive('connections', value()));
        break;
      case '--duration':
        c.durationMs = positive('duration', value()) * 1000;
        break;
      case '--warmup':
        c.warmupMs = Number(value()) * 1000;
        break;
      case '--rounds':
        c.rounds = Math.round(positive('rounds', value()));
        break;
      case '--max-requests':
        c.maxRequests = Math.round(positive('max-requests', value()));
        break;
      case '--channels':
        c.channels = Math.round(positive('channels', value()));
        break;
      case '--request-sizes':
        c.requestSizes = list(value());
        break;
      case '--fanout-sizes':
        c.fanoutSizes = list(value()).sort((a, b) => a - b);
        break;
      case '--fanout-events':
        c.fanoutEvents = Math.round(positive('fanout-events', value()));
        break;
      case '--event-interval':
        c.eventIntervalMs = positive('event-interval', value());
        break;
      case '--fanout-procs':
        c.fanoutProcs = Math.round(positive('fanout-procs', value()));
        break;
      case '--workers':
        c.workers = [...new Set(list(value()))];
        break;
      case '--mutations':
        c.mutations = Math.round(positive('mutations', value()));
        break;
      case '--results':
        c.results = value();
        break;
      case '--no-results':
        c.results = null;
        break;
      case '--quick':
        Object.assign(c, {
          quick: true,
          durationMs: 2000,
          warmupMs: 500,
          channels: 20,
          requestSizes: [1, 10],
          fanoutSizes: [100, 500],
          fanoutEvents: 4,
          eventIntervalMs: 300,
          mutations: 20,
        });
        break;
      default:
        throw new Error(`unknown option ${flag}\n\n${HELP}`);
    }
  }
  if (ariUrl) c.ari = { url: ariUrl, username: ariUser, password: ariPassword, app: ariApp };
  return c;
}
