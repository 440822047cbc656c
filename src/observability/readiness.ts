/**
 * /readyz: may this instance take traffic?
 *
 * Ready (200) when all of:
 * - the database answers `SELECT 1` within a second (journal, leases and history need it);
 * - the event bus is ready (in-process: always; Redis: subscribed);
 * - the gateway is not shutting down;
 * - at least one backend's events are being ingested — by this instance (its event socket is
 *   open) or by another one (its heartbeat says so: src/observability/ingest-liveness.ts) — or
 *   no backends are configured. So every instance of a cluster is ready, not only the lease
 *   holder: followers serve the journal the leader fills.
 * A backend that is down does not make the gateway unready while another one serves: the
 * gateway still answers for the healthy ones (and a `BACKEND_UNAVAILABLE` error per failed one).
 * Every backend is listed either way, with the reason it is not connected.
 */
import type { Backend } from '../backends/types';
import type { Database } from '../store/database';
import type { IngestView } from './ingest-liveness';

export const READINESS_CHECK_TIMEOUT_MS = 1000;

export interface CheckResult {
  ok: boolean;
  reason?: string;
}

export interface BackendReadiness {
  name: string;
  kind: string;
  connected: boolean;
  /** Why it is not connected (the last connection error), null when connected. */
  reason: string | null;
  lastConnectedAt: string | null;
  reconnects: number;
  /** This instance journals the backend's events (holds its ingest lease). */
  ingestLeader: boolean;
  /** Whether the backend's events flow into the journal, whichever instance ingests them. */
  ingest: IngestView;
}

export interface Readiness {
  status: 'ready' | 'not ready';
  database: CheckResult;
  bus: CheckResult;
  shuttingDown: boolean;
  backends: BackendReadiness[];
  /** Why not ready; empty when ready. */
  reasons: string[];
}

export interface ReadinessSources {
  database: Pick<Database, 'query'>;
  /** Resolves when the bus can deliver; rejects with why not. */
  busReady(): Promise<void>;
  backends: readonly Backend[];
  ingestLeader(backend: string): boolean;
  ingest(backend: Backend): IngestView;
  shuttingDown(): boolean;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function check(what: string, probe: () => Promise<unknown>): Promise<CheckResult> {
  try {
    await withTimeout(probe(), READINESS_CHECK_TIMEOUT_MS, what);
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

export async function checkReadiness(s: ReadinessSources): Promise<Readiness> {
  const [database, bus] = await Promise.all([
    check('database', () => s.database.query('SELECT 1')),
    check('event bus', () => s.busReady()),
  ]);
  const backends: BackendReadiness[] = s.backends.map((b) => {
    const h = b.health();
    return {
      name: b.name,
      kind: b.kind,
      connected: h.connected,
      reason: h.connected ? null : (h.lastError ?? 'event socket not connected yet'),
      lastConnectedAt: h.lastConnectedAt?.toISOString() ?? null,
      reconnects: h.reconnects,
      ingestLeader: s.ingestLeader(b.name),
      ingest: s.ingest(b),
    };
  });
  const reasons: string[] = [];
  if (s.shuttingDown()) reasons.push('shutting down');
  if (!database.ok) reasons.push(`database: ${database.reason}`);
  if (!bus.ok) reasons.push(`event bus: ${bus.reason}`);
  if (backends.length > 0 && !backends.some((b) => b.ingest.alive))
    reasons.push("no backend's events are being ingested");
  return {
    status: reasons.length ? 'not ready' : 'ready',
    database,
    bus,
    shuttingDown: s.shuttingDown(),
    backends,
    reasons,
  };
}
