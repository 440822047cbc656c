/**
 * Workers reach the primary's database through it. Embedded PGlite is one session in one process,
 * and its socket server interleaves the extended-protocol messages of concurrent connections
 * (src/store/database.ts keeps one pool client for that reason), so workers cannot each connect.
 * Instead each worker's Prisma runs on a driver adapter that forwards every statement over IPC to
 * the primary's own Prisma driver adapter (@prisma/adapter-pg over the single pool client):
 * the same SQL, the same queueing, transactions held by id until their worker ends them.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { componentLogger } from '../log';
import type { Database } from '../store/database';
import type { PrimaryLink } from './link';
import type { StoreOp } from './messages';

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;
type PgTransaction = Awaited<ReturnType<PgAdapter['startTransaction']>>;
type SqlQuery = Parameters<PgAdapter['queryRaw']>[0];
type SqlResultSet = Awaited<ReturnType<PgAdapter['queryRaw']>>;
type IsolationLevel = Parameters<PgAdapter['startTransaction']>[0];

const log = componentLogger('cluster.store');

/** The primary's side: one per worker, so a dead worker's open transactions can be rolled back. */
export class StoreServer {
  private nextTx = 1;
  private readonly open = new Map<number, PgTransaction>();

  constructor(
    private readonly db: Database,
    private readonly adapter: Promise<PgAdapter>,
  ) {}

  async handle(call: StoreOp): Promise<unknown> {
    switch (call.op) {
      case 'query':
        return this.db.query(call.sql, call.params);
      case 'script':
        return (await this.adapter).executeScript(call.script);
      case 'raw': {
        const on = call.tx === undefined ? await this.adapter : this.open.get(call.tx);
        if (!on) throw new Error(`transaction ${call.tx} is not open`);
        const query = call.query as SqlQuery;
        return call.kind === 'queryRaw' ? on.queryRaw(query) : on.executeRaw(query);
      }
      case 'begin': {
        const tx = await (await this.adapter).startTransaction(call.isolationLevel as IsolationLevel);
        const id = this.nextTx++;
        this.open.set(id, tx);
        return { id, options: tx.options };
      }
      case 'end': {
        const tx = this.open.get(call.tx);
        if (!tx) throw new Error(`transaction ${call.tx} is not open`);
        this.open.delete(call.tx);
        await (call.commit ? tx.commit() : tx.rollback());
        return undefined;
      }
    }
  }

  /** The worker is gone: what it left open would hold the database (PGlite: all of it). */
  async abandon(): Promise<void> {
    const open = [...this.open.values()];
    this.open.clear();
    for (const tx of open) await tx.rollback().catch((e: Error) => log.warn({ err: e.message }, 'rollback failed'));
    if (open.length) log.warn({ transactions: open.length }, 'rolled back the transactions of a worker that died');
  }
}

/** The primary's driver adapter for its StoreServers (shares the Database's pool). */
export function primaryAdapter(db: Database): Promise<PgAdapter> {
  if (!db.pool) throw new Error('the store proxy needs a database with its own pool');
  return new PrismaPg(db.pool).connect();
}

function ipcQueryable(link: PrimaryLink, tx?: number) {
  const store = <R>(call: StoreOp): Promise<R> => link.call<R>({ op: 'store', call });
  return {
    provider: 'postgres' as const,
    adapterName: '@prisma/adapter-pg',
    queryRaw: (query: SqlQuery) => store<SqlResultSet>({ op: 'raw', kind: 'queryRaw', query, tx }),
    executeRaw: (query: SqlQuery) => store<number>({ op: 'raw', kind: 'executeRaw', query, tx }),
  };
}

/** A worker's Database: Prisma and plain SQL through the primary. Migrations are the primary's. */
export function storeProxy(link: PrimaryLink, primary: Pick<Database, 'kind' | 'location'>): Database {
  const store = <R>(call: StoreOp): Promise<R> => link.call<R>({ op: 'store', call });
  const adapter = {
    ...ipcQueryable(link),
    executeScript: (script: string) => store<void>({ op: 'script', script }),
    async startTransaction(isolationLevel?: IsolationLevel) {
      const { id, options } = await store<{ id: number; options: PgTransaction['options'] }>({
        op: 'begin',
        isolationLevel,
      });
      return {
        ...ipcQueryable(link, id),
        options,
        commit: () => store<void>({ op: 'end', tx: id, commit: true }),
        rollback: () => store<void>({ op: 'end', tx: id, commit: false }),
      };
    },
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => undefined,
  };
  const prisma = new PrismaClient({
    adapter: { provider: 'postgres', adapterName: '@prisma/adapter-pg', connect: async () => adapter },
  });
  let closing: Promise<void> | undefined;
  return {
    kind: primary.kind,
    prisma,
    migrations: { applied: [], alreadyApplied: [] },
    location: `${primary.location} (through the cluster primary)`,
    query: <R>(sql: string, params?: unknown[]) => store<R[]>({ op: 'query', sql, params }),
    close() {
      closing ??= prisma.$disconnect();
      return closing;
    },
  };
}
