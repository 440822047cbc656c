/**
 * A small closed-loop load generator: `connections` keep-alive sockets, each sending its next
 * request as soon as the previous answer is fully read. Bounded by duration and by a request
 * cap per phase; sides of a comparison run in alternating rounds after an uncounted warm-up.
 */
import { encodeRequest, RawConnection, type RawRequest } from './raw-http';
import { summarize, type Summary } from './stats';

export type LoadRequest = RawRequest;

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

async function phase(
  connections: RawConnection[],
  o: HttpSideOptions,
  durationMs: number,
  record: boolean,
): Promise<Phase> {
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  let bytes = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + durationMs;
  const worker = async (conn: RawConnection): Promise<void> => {
    while (performance.now() < end && requests < o.maxRequests) {
      requests++;
      const t0 = performance.now();
      const sample = requests % 100 === 1;
      try {
        const res = await conn.send(sample && Boolean(o.check));
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        if (sample) o.check?.(res.status, res.body);
        bytes += res.bodyBytes;
        if (record) latencies.push(performance.now() - t0);
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(connections.map(worker));
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
  const target = encodeRequest(r);
  const connections = Array.from({ length: o.connections }, () => new RawConnection(target));
  const side = ((durationMs: number, record: boolean) => phase(connections, o, durationMs, record)) as Side & {
    close(): void;
  };
  side.close = () => {
    for (const c of connections) c.close();
  };
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
export async function interleave(
  sides: Side[],
  o: { durationMs: number; warmupMs: number; rounds: number },
  onRound?: (round: number) => void,
): Promise<LoadResult[]> {
  if (o.warmupMs > 0) for (const side of sides) await side(o.warmupMs, false);
  const phases: Phase[][] = sides.map(() => []);
  const slice = o.durationMs / o.rounds;
  for (let round = 0; round < o.rounds; round++) {
    onRound?.(round);
    for (const [i, side] of sides.entries()) phases[i].push(await side(slice, true));
  }
  return phases.map(toResult);
}
