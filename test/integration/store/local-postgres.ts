/**
 * The machine's PostgreSQL (127.0.0.1:5432, trust auth) for store tests: one throwaway
 * database per test run, dropped at the end. A stopped server fails the suite with the
 * command that starts it — never a silent skip.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const HOST = process.env.PGHOST ?? '127.0.0.1';
const PORT = Number(process.env.PGPORT ?? 5432);
const USER = process.env.PGUSER ?? 'postgres';
const ADMIN_DATABASE = 'test';
export const START_COMMAND = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

export function databaseUrl(database: string): string {
  return `postgresql://${USER}@${HOST}:${PORT}/${database}`;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    host: HOST,
    port: PORT,
    user: USER,
    database: ADMIN_DATABASE,
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new Error(
      `PostgreSQL is not reachable at ${HOST}:${PORT} as ${USER} (database ${ADMIN_DATABASE}): ` +
        `${(err as Error).message}. Start it with:\n  ${START_COMMAND}`,
      { cause: err },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `patchbay_store_<random>` and returns its name. */
export async function createTestDatabase(label: string): Promise<string> {
  const name = `patchbay_store_${label}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  return name;
}

export async function dropTestDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A plain session on `database`, for holding locks or inspecting from outside the store. */
export async function connect(database: string): Promise<Client> {
  const client = new Client({ host: HOST, port: PORT, user: USER, database });
  await client.connect();
  return client;
}
