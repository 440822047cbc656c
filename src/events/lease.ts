/**
 * Who ingests each backend's events: exactly one gateway instance at a time holds a backend's
 * lease (a row in `ingest_lease`), so the shared journal gets each event once. Leases expire
 * on the database clock (now()), so instances with skewed clocks still agree; the holder
 * renews them well before they expire and hears (onLost) when another instance took one.
 *
 * Fencing: between a lease being taken over and its old holder's next renewal both may still
 * believe they ingest, but the journal appends only for the current, unexpired holder
 * (EventJournal.append's fence, checked in the append's transaction), so only one of them
 * journals.
 */
import { performance } from 'node:perf_hooks';
import type { Database } from '../store/database';
import { componentLogger } from '../log';

export interface IngestLeasesOptions {
  /** Unique per gateway instance (e.g. hostname:pid:random). */
  ownerId: string;
  /** How long a lease lasts without renewal. Default 5000 ms. */
  ttlMs?: number;
  /** Keep-alive period. Default ttlMs / 3. 0: no timer, call renew() yourself. */
  renewEveryMs?: number;
}

export interface LeaseHolder {
  backend: string;
  owner: string;
  expiresAt: Date;
}

type LostListener = (backend: string) => void;

const ACQUIRE_SQL = `
INSERT INTO "ingest_lease" ("backend", "owner", "expires_at")
VALUES ($1, $2, now() + $3::double precision * interval '1 millisecond')
ON CONFLICT ("backend") DO UPDATE SET "owner" = EXCLUDED."owner", "expires_at" = EXCLUDED."expires_at"
 WHERE "ingest_lease"."expires_at" < now() OR "ingest_lease"."owner" = EXCLUDED."owner"
RETURNING "backend"`;

// Only rows still ours: a lease someone else took (even if theirs has since expired) or
// released is lost, because they may have ingested meanwhile.
const RENEW_SQL = `
UPDATE "ingest_lease" SET "expires_at" = now() + $3::double precision * interval '1 millisecond'
 WHERE "backend" = ANY($1::text[]) AND "owner" = $2
RETURNING "backend"`;

export class IngestLeases {
  readonly ownerId: string;
  readonly ttlMs: number;
  readonly renewEveryMs: number;
  /** Held backends and when, on this process's monotonic clock, they expire at the latest. */
  private readonly held = new Map<string, number>();
  private readonly lostListeners = new Set<LostListener>();
  private readonly log;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<string[]> | undefined;

  constructor(
    private readonly db: Database,
    options: IngestLeasesOptions,
  ) {
    if (!options.ownerId) throw new Error('IngestLeases needs a non-empty ownerId');
    this.ownerId = options.ownerId;
    this.ttlMs = options.ttlMs ?? 5000;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(this.ttlMs / 3));
    if (!(this.ttlMs > 0)) throw new Error(`lease ttlMs must be positive, got ${this.ttlMs}`);
    if (!(this.renewEveryMs >= 0)) throw new Error(`lease renewEveryMs must be >= 0, got ${this.renewEveryMs}`);
    this.log = componentLogger('events.lease', { owner: this.ownerId });
    if (this.renewEveryMs >= this.ttlMs) {
      this.log.warn({ ttlMs: this.ttlMs, renewEveryMs: this.renewEveryMs }, 'leases renew no faster than they expire');
    }
  }

  /** Takes the backend's lease if it is free, expired, or already ours. True when held. */
  async acquire(backend: string): Promise<boolean> {
    const sentAt = performance.now();
    const rows = await this.db.query<{ backend: string }>(ACQUIRE_SQL, [backend, this.ownerId, this.ttlMs]);
    if (rows.length === 0) {
      if (this.held.delete(backend)) this.lost(backend);
      return false;
    }
    if (!this.held.has(backend)) this.log.info({ backend }, 'ingest lease acquired');
    this.held.set(backend, sentAt + this.ttlMs);
    this.startTimer();
    return true;
  }

  /**
   * Extends every held lease; returns (and reports to onLost) those another owner took.
   * When the database cannot be reached, a lease counts as lost once its ttl has passed
   * since the last successful renewal was sent — by then another instance may hold it.
   */
  renew(): Promise<string[]> {
    this.renewing ??= this.renewHeld().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  /** Gives the lease up now (another instance can take it at once). */
  async release(backend: string): Promise<void> {
    this.held.delete(backend);
    if (this.held.size === 0) this.stopTimer();
    await this.db.query(`DELETE FROM "ingest_lease" WHERE "backend" = $1 AND "owner" = $2`, [backend, this.ownerId]);
    this.log.info({ backend }, 'ingest lease released');
  }

  /** Releases every lease this owner holds and stops the keep-alive. */
  async releaseAll(): Promise<void> {
    this.held.clear();
    this.stopTimer();
    await this.renewing?.catch(() => undefined);
    await this.db.query(`DELETE FROM "ingest_lease" WHERE "owner" = $1`, [this.ownerId]);
  }

  /** Called with the backend when a held lease turns out to be lost. Returns unsubscribe. */
  onLost(listener: LostListener): () => void {
    const entry: LostListener = (backend) => listener(backend);
    this.lostListeners.add(entry);
    return () => {
      this.lostListeners.delete(entry);
    };
  }

  /** Backends this instance believes it holds. */
  heldBackends(): string[] {
    return [...this.held.keys()].sort();
  }

  /** Unexpired leases of every owner, by backend. */
  async holders(): Promise<LeaseHolder[]> {
    const rows = await this.db.query<{ backend: string; owner: string; expires_at: Date }>(
      `SELECT "backend", "owner", "expires_at" FROM "ingest_lease" WHERE "expires_at" >= now() ORDER BY "backend"`,
    );
    return rows.map((r) => ({ backend: r.backend, owner: r.owner, expiresAt: new Date(r.expires_at) }));
  }

  private async renewHeld(): Promise<string[]> {
    const backends = [...this.held.keys()];
    if (backends.length === 0) return [];
    const sentAt = performance.now();
    let renewed: Set<string>;
    try {
      const rows = await this.db.query<{ backend: string }>(RENEW_SQL, [backends, this.ownerId, this.ttlMs]);
      renewed = new Set(rows.map((r) => r.backend));
    } catch (err) {
      this.log.warn({ error: err instanceof Error ? err.message : String(err) }, 'ingest lease renewal failed');
      const now = performance.now();
      const expired = backends.filter((b) => (this.held.get(b) ?? Infinity) <= now);
      for (const backend of expired) this.dropLost(backend);
      return expired;
    }
    const lost: string[] = [];
    for (const backend of backends) {
      // Released while the renewal was in flight: neither renewed nor lost.
      if (!this.held.has(backend)) continue;
      if (renewed.has(backend)) {
        this.held.set(backend, sentAt + this.ttlMs);
      } else {
        this.dropLost(backend);
        lost.push(backend);
      }
    }
    return lost;
  }

  private dropLost(backend: string): void {
    this.held.delete(backend);
    if (this.held.size === 0) this.stopTimer();
    this.lost(backend);
  }

  private lost(backend: string): void {
    this.log.warn({ backend }, 'ingest lease lost');
    for (const listener of [...this.lostListeners]) {
      try {
        listener(backend);
      } catch (err) {
        this.log.error({ backend, error: err instanceof Error ? err.message : String(err) }, 'onLost listener threw');
      }
    }
  }

  private startTimer(): void {
    if (this.timer || this.renewEveryMs === 0) return;
    this.timer = setInterval(() => {
      void this.renew().catch(() => undefined);
    }, this.renewEveryMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
