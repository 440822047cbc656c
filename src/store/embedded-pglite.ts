/**
 * The embedded default: PGlite on disk, served over the PostgreSQL wire protocol on an
 * ephemeral 127.0.0.1 port so Prisma and the migration runner use the same pg adapter as for
 * real PostgreSQL (one provider, one code path).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PoolConfig } from 'pg';
import { lockDataDir } from './data-dir-lock';
import { componentLogger } from '../log';

const log = componentLogger('store.pglite');

/** PGlite runs one query at a time whatever the count; this only bounds open sockets. */
const MAX_SOCKET_CONNECTIONS = 32;

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
  /** pg settings reaching the socket server. */
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
  let server: PGLiteSocketServer | undefined;
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
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_SOCKET_CONNECTIONS });
    await server.start();
    log.info(
      { seeded: seeded === true, seedMs: Math.round(t1 - t0), openMs: Math.round(performance.now() - t1) },
      'embedded database started',
    );
  } catch (err) {
    await db?.close().catch(() => undefined);
    lock.release();
    throw err;
  }
  const port = Number(server.getServerConn().split(':').pop());
  const [runningDb, runningServer] = [db, server];
  return {
    poolConfig: { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' },
    pgDataDir,
    async stop() {
      try {
        await runningServer.stop();
      } finally {
        try {
          await runningDb.close();
        } finally {
          lock.release();
        }
      }
    },
  };
}
