/**
 * A small closed-loop load generator: `connections` keep-alive sockets, each sending its next
 * request as soon as the previous answer is fully read. Bounded by duration and by a request
 * cap per phase; sides of a comparison run in alternating rounds after an uncounted warm-up.
 */
import { Agent, request } from 'node:http';
import { summarize, type Summary } from './stats';

export interface LoadRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpSideOptions {
  connections: number;
  /** Hard cap on requests per phase (a phase ends at its duration or this, whichever first). */
  maxRequests: number;
  /** Throws on a bad answer (checked on a sample, so the generator stays cheap). */
  check?: (status: number, body: string) => void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  rps: number;
  latency: Summary;
  bytesPerResponse: number;
}

function once(agent: Agent, r: LoadRequest, keepBody: boolean): Promise<{ status: number; body: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(r.url, { method: r.method, agent, headers: r.headers }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (keepBody) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: keepBody ? Buffer.concat(chunks).toString('utf8') : '', bytes }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out after 10 s')));
    req.on('error', reject);
    req.end(r.body);
  });
}

async function phase(agent: Agent, r: LoadRequest, o: HttpSideOptions, durationMs: number, record: boolean): Promise<Phase> {
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  let bytes = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < end && requests < o.maxRequests) {
      requests++;
      const t0 = performance.now();
      const sample = requests % 100 === 1;
      try {
        const res = await once(agent, r, sample && Boolean(o.check));
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        if (sample) o.check?.(res.status, res.body);
        bytes += res.bytes;
        if (record) latencies.push(performance.now() - t0);
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: o.connections }, worker));
  const elapsedMs = performance.now() - started;
  return { latencies, requests, errors, firstError, elapsedMs, bytes };
}

export interface Phase {
  requests: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  latencies: number[];
  bytes: number;
}

/** One side of a comparison: runs for about `durationMs`, recording latencies unless warming up. */
export type Side = (durationMs: number, record: boolean) => Promise<Phase>;

/** An HTTP side on its own keep-alive agent; call `close()` when done. */
export function httpSide(r: LoadRequest, o: HttpSideOptions): Side & { close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections, maxFreeSockets: o.connections });
  const side = ((durationMs: number, record: boolean) => phase(agent, r, o, durationMs, record)) as Side & { close(): void };
  side.close = () => agent.destroy();
  return side;
}

function toResult(phases: Phase[]): LoadResult {
  const sum = (f: (p: Phase) => number) => phases.reduce((a, p) => a + f(p), 0);
  const requests = sum((p) => p.requests);
  const errors = sum((p) => p.errors);
  const elapsedMs = sum((p) => p.elapsedMs);
  const ok = requests - errors;
  return {
    requests,
    errors,
    firstError: phases.find((p) => p.firstError)?.firstError,
    elapsedMs,
    rps: (ok / elapsedMs) * 1000,
    latency: summarize(phases.flatMap((p) => p.latencies)),
    bytesPerResponse: ok ? sum((p) => p.bytes) / ok : 0,
  };
}

/**
 * Runs the sides in alternating rounds (A B A B ...) after one warm-up each, so load from
 * anything else on a shared machine hits every side alike; totals are summed over rounds.
 */
export async function interleave(sides: Side[], o: { durationMs: number; warmupMs: number; rounds: number }, onRound?: (round: number) => void): Promise<LoadResult[]> {
  if (o.warmupMs > 0) for (const side of sides) await side(o.warmupMs, false);
  const phases: Phase[][] = sides.map(() => []);
  const slice = o.durationMs / o.rounds;
  for (let round = 0; round < o.rounds; round++) {
    onRound?.(round);
    for (const [i, side] of sides.entries()) phases[i].push(await side(slice, true));
  }
  return phases.map(toResult);
}
