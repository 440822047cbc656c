/**
 * The embedded default: PGlite on disk, served over the PostgreSQL wire protocol on an
 * ephemeral 127.0.0.1 port so Prisma and the migration runner use the same pg adapter as for
 * real PostgreSQL (one provider, one code path).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PoolConfig } from 'pg';
import { lockDataDir } from './dataDirLock';

/** PGlite runs one query at a time whatever the count; this only bounds open sockets. */
const MAX_SOCKET_CONNECTIONS = 32;

export interface EmbeddedPglite {
  /** pg settings reaching the socket server. */
  poolConfig: PoolConfig;
  /** Where PGlite keeps its files. */
  pgDataDir: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPglite(dataDir: string): Promise<EmbeddedPglite> {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  const pgDataDir = path.join(dataDir, 'pglite');
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGlite.create({ dataDir: pgDataDir });
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_SOCKET_CONNECTIONS });
    await server.start();
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
