/**
 * The embedded default: PGlite on disk, reached through node-postgres like a PostgreSQL server,
 * so Prisma and the migration runner use the same pg adapter as for real PostgreSQL (one
 * provider, one code path). The pg client's connection is PGlite's own in-process one
 * (`@electric-sql/pglite/node-postgres`): protocol messages go straight to the WASM engine, with
 * no socket, no loopback TCP and no event-loop turn per message (docs/operations-performance.md).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { PglitePgConnection } from '@electric-sql/pglite/node-postgres';
import { Client, type ClientConfig, type PoolConfig } from 'pg';
import { lockDataDir } from './data-dir-lock';
import { componentLogger } from '../log';

const log = componentLogger('store.pglite');

/**
 * Memory over speed: the gateway's tables are small and its queries short. PostgreSQL's default
 * 128 MB of shared buffers would be touched and kept resident; 8 MB holds this working set.
 * Measured on a migrated data dir (docs/operations-performance.md): 397 MB RSS with the
 * defaults, 263 MB with these, 176 MB adding Liftoff-only below.
 */
const LEAN_SETTINGS = [
  'shared_buffers=8MB',
  'work_mem=1MB',
  'maintenance_work_mem=8MB',
  'temp_buffers=1MB',
  'wal_buffers=256kB',
];

/**
 * initdb settings (a new data dir only). 1 MB WAL segments instead of 16: a new database, and
 * the template copied into every new data dir (src/store/template.ts), is ~15 MB smaller.
 */
export const INITDB_PARAMS = ['--wal-segsize=1'];

/**
 * V8 compiles PGlite's large WASM module twice: quickly (Liftoff), then hot code again with
 * TurboFan in background threads. The second pass costs ~90 MB of resident code and compiler
 * memory and competes with start-up for the CPU; Liftoff code runs the gateway's short queries
 * at about the same speed (docs/operations-performance.md). Set once, before the first compile.
 */
let liftoffOnly = false;
function compileWasmOnce(): void {
  if (liftoffOnly || process.env.PATCHBAY_PGLITE_TURBOFAN === '1') return;
  setFlagsFromString('--liftoff-only');
  liftoffOnly = true;
}

export interface EmbeddedPglite {
  /** pg settings whose connection is PGlite's in-process one (one session: use one client). */
  poolConfig: PoolConfig;
  /** Where PGlite keeps its files. */
  pgDataDir: string;
  stop(): Promise<void>;
}

/**
 * `seed` runs once the data dir is locked and before PGlite opens it: it may fill an absent
 * `pgDataDir` (src/store/template.ts).
 */
export async function startEmbeddedPglite(
  dataDir: string,
  seed?: (pgDataDir: string) => Promise<unknown>,
): Promise<EmbeddedPglite> {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  const pgDataDir = path.join(dataDir, 'pglite');
  let db: PGlite | undefined;
  const t0 = performance.now();
  try {
    const seeded = await seed?.(pgDataDir);
    const t1 = performance.now();
    compileWasmOnce();
    db = await PGlite.create({
      dataDir: pgDataDir,
      startParams: [...PGlite.defaultStartParams, ...LEAN_SETTINGS.flatMap((s) => ['-c', s])],
      initDbStartParams: INITDB_PARAMS,
    });
    log.info(
      { seeded: seeded === true, seedMs: Math.round(t1 - t0), openMs: Math.round(performance.now() - t1) },
      'embedded database started',
    );
  } catch (err) {
    await db?.close().catch(() => undefined);
    lock.release();
    throw err;
  }
  const runningDb = db;
  return {
    poolConfig: { Client: pgliteClient(runningDb) as unknown as PoolConfig['Client'] },
    pgDataDir,
    async stop() {
      try {
        await runningDb.close();
      } finally {
        lock.release();
      }
    },
  };
}

/**
 * PGlite's connection for one node-postgres client, made like a new PostgreSQL connection.
 * pg-pool drops a client after any failed query and makes another, so each client needs a
 * connection of its own (the old one still emits `end`, late). PGlite is one session, though:
 * a transaction the dropped client left open is rolled back before the next one starts, as
 * PostgreSQL does when a connection closes.
 */
class PgliteSession extends PglitePgConnection {
  constructor(private readonly db: PGlite) {
    super({ pglite: db });
  }

  override async connect(port: number, host: string): Promise<void> {
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    return super.connect(port, host);
  }

  /**
   * pg hands Parse its query's `types`, which @prisma/adapter-pg sets to a type-parser object;
   * pg's own serialiser reads only an array there, PGlite's calls forEach on it and throws.
   */
  override parse(query: { types?: unknown }): void {
    super.parse(Array.isArray(query.types) ? query : { ...query, types: undefined });
  }
}

/** A pg Client class whose clients reach `db` in process (pg takes a ready `connection`, pg/lib/client.js). */
function pgliteClient(db: PGlite): typeof Client {
  return class PgliteClient extends Client {
    constructor(config?: ClientConfig) {
      super({ ...config, connection: new PgliteSession(db) } as ClientConfig);
    }
  };
}
