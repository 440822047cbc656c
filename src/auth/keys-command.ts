/**
 * `npm run keys`: create, list and revoke API keys in the gateway's database, found the way
 * the gateway finds it (src/config.ts). Returns the exit code instead of exiting, so it can be
 * driven in-process too.
 */
import { ConfigError, loadConfigFile, parseConfig, type GatewayConfig } from '../config';
import { PatchbayError } from '../domain/errors';
import { openDatabase, type Database } from '../store/database';
import { DatabaseError } from '../store/errors';
import { REDIS_EVENTS_CHANNEL } from '../events/bus';
import { RedisControlBus } from '../events/bus/control';
import { ApiKeyStore, keyStatus, parseKey, validateKeyInput, type ApiKeyRecord } from './api-keys';
import { parseKeysArgs, USAGE, UsageError, type KeysCommand } from './keys-args';

export interface KeysCliIO {
  out(text: string): void;
  err(text: string): void;
}

const processIO: KeysCliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export async function runKeysCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: KeysCliIO = processIO,
): Promise<number> {
  let command: KeysCommand;
  let config: GatewayConfig;
  try {
    const parsed = parseKeysArgs(argv);
    command = parsed.command;
    if (command.kind === 'help') {
      io.out(USAGE);
      return EXIT_OK;
    }
    // Input mistakes are reported before the database is opened (or found locked).
    if (command.kind === 'create') validateKeyInput(command.input);
    config = parsed.configFile ? loadConfigFile(parsed.configFile, env) : parseConfig({}, env);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`patchbay keys: ${err.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (err instanceof PatchbayError || err instanceof ConfigError) {
      io.err(`patchbay keys: ${err.message}`);
      return EXIT_USAGE;
    }
    throw err;
  }

  let db: Database;
  try {
    db = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  } catch (err) {
    io.err(`patchbay keys: ${describeOpenFailure(err, config)}`);
    return EXIT_FAILED;
  }
  try {
    return await execute(command, new ApiKeyStore(db, { hashCost: config.security?.keyHashCost }), io, (id) =>
      announceRevocation(config, id),
    );
  } catch (err) {
    if (err instanceof PatchbayError) {
      io.err(`patchbay keys: ${err.message}`);
      return EXIT_USAGE;
    }
    io.err(`patchbay keys: ${(err as Error).message}`);
    return EXIT_FAILED;
  } finally {
    await db.close();
  }
}

async function execute(
  command: Exclude<KeysCommand, { kind: 'help' }>,
  store: ApiKeyStore,
  io: KeysCliIO,
  announce: (keyId: string) => Promise<string>,
): Promise<number> {
  switch (command.kind) {
    case 'create': {
      const { key, record } = await store.create(command.input);
      io.out(`Created ${record.role} key ${record.id} ("${record.name}", scope ${scopeText(record)}).`);
      io.out('The key is shown only this once; store it now:');
      io.out(key);
      return EXIT_OK;
    }
    case 'list': {
      const keys = await store.list();
      if (command.json)
        io.out(
          JSON.stringify(
            keys.map((k) => ({ ...k, status: keyStatus(k) })),
            null,
            2,
          ),
        );
      else io.out(keys.length === 0 ? 'No API keys.' : table(keys));
      return EXIT_OK;
    }
    case 'revoke': {
      // A pasted full key names its id; the secret part is not needed to revoke.
      const id = parseKey(command.id)?.id ?? command.id;
      const before = await store.get(id);
      const record = before && (await store.revoke(id));
      if (!before || !record) {
        io.err(`patchbay keys: no key with id ${JSON.stringify(id)} (see: npm run keys -- list)`);
        return EXIT_FAILED;
      }
      if (before.revokedAt)
        io.out(`Key ${id} ("${record.name}") was already revoked at ${before.revokedAt.toISOString()}.`);
      else io.out(`Revoked key ${id} ("${record.name}"). ${await announce(id)}`);
      return EXIT_OK;
    }
  }
}

/** How long the CLI tries to tell running gateways over Redis before leaving it to their key sweep. */
const ANNOUNCE_TIMEOUT_MS = 3000;

/**
 * Tells running gateways at once, over the control channel they share (when the config names a
 * Redis): they close the key's sockets and forget its cached verifications. Says what happened.
 */
async function announceRevocation(config: GatewayConfig, keyId: string): Promise<string> {
  const later = 'Running gateways stop accepting it within 60 s.';
  if (!config.pubsub.redisUrl) return later;
  const bus = new RedisControlBus(config.pubsub.redisUrl, config.pubsub.channel ?? REDIS_EVENTS_CHANNEL, {
    connectTimeout: ANNOUNCE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await bus.ready(ANNOUNCE_TIMEOUT_MS);
    await bus.publish({ kind: 'key-revoked', keyId, instance: 'keys-cli' });
    return 'Running gateways sharing its Redis were told: its sockets close now.';
  } catch (err) {
    return `Redis could not be told (${(err as Error).message}). ${later}`;
  } finally {
    await bus.close();
  }
}

function describeOpenFailure(err: unknown, config: GatewayConfig): string {
  if (err instanceof DatabaseError && err.code === 'DATA_DIR_IN_USE') {
    const pid = /process (\d+)/.exec(err.message)?.[1];
    return (
      `the embedded database in ${config.database.dataDir} is in use by a running gateway${pid ? ` (process ${pid})` : ''}. ` +
      'The embedded PGlite database opens in one process only: stop the gateway, manage keys, then start it again ' +
      '(or run gateways on PostgreSQL with DATABASE_URL, where keys can be managed while they run).'
    );
  }
  return `cannot open the database: ${(err as Error).message}`;
}

function scopeText(record: ApiKeyRecord): string {
  if (record.scope.all) return 'all';
  const parts = [
    ...record.scope.accountIds.map((a) => `account ${a}`),
    ...record.scope.backends.map((b) => `backend ${b}`),
  ];
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}

function table(keys: ApiKeyRecord[]): string {
  const now = new Date();
  const date = (d: Date | null): string => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');
  const rows = [
    ['ID', 'NAME', 'ROLE', 'STATUS', 'SCOPE', 'RECIPIENT', 'CREATED', 'EXPIRES', 'LAST USED'],
    ...keys.map((k) => [
      k.id,
      k.name,
      k.role,
      keyStatus(k, now),
      scopeText(k),
      k.recipientId ?? '-',
      date(k.createdAt),
      date(k.expiresAt),
      date(k.lastUsedAt),
    ]),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows
    .map((r) =>
      r
        .map((cell, col) => cell.padEnd(widths[col]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
