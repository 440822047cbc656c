/**
 * `npm run keys` end to end: the real entry point spawned as a child process against the
 * embedded PGlite and the machine's PostgreSQL, checking output, exit codes and that the
 * secret appears once (on create) and never again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyStore, parseKey } from '../../../src/auth/api-keys';
import { openDatabase } from '../../../src/store/database';
import { lockDataDir } from '../../../src/store/data-dir-lock';
import { runScript, type ScriptRun } from '../../helpers/run-script';
import { createTestDatabase, databaseUrl, dropTestDatabase } from '../store/local-postgres';
import { TEST_KEY_HASH_COST } from '../../helpers/key-hash-cost';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

function keys(args: string[], env: Record<string, string>): Promise<ScriptRun> {
  return runScript('src/auth/cli.ts', args, { DATABASE_URL: '', LOG_LEVEL: '', ...env });
}

describe('npm run keys (src/auth/cli.ts)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-keys-cli-'));
  const env = { PATCHBAY_DATA_DIR: dataDir };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('create → list → revoke on the embedded database: the secret is printed once, list never shows it', async () => {
    const created = await keys(
      [
        'create',
        '--name',
        'ops desk',
        '--role',
        'SUPERVISOR',
        '--accounts',
        ACCOUNT,
        '--backends',
        'pbx1',
        '--expires',
        '2099-01-01',
      ],
      env,
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const key = /^(pbk_\S+)$/m.exec(created.stdout)?.[1];
    const parsed = parseKey(key ?? '');
    expect(parsed).not.toBeNull();
    const { id, secret } = parsed!;
    expect(created.stdout).toBe(
      `Created SUPERVISOR key ${id} ("ops desk", scope account ${ACCOUNT}, backend pbx1).\n` +
        'The key is shown only this once; store it now:\n' +
        `${key}\n`,
    );

    // The gateway (same database) accepts the key.
    const db = await openDatabase({ dataDir });
    const store = new ApiKeyStore(db, { hashCost: TEST_KEY_HASH_COST });
    try {
      expect(await store.authenticate(key!)).toEqual({
        id,
        name: 'ops desk',
        role: 'SUPERVISOR',
        scope: { all: false, accountIds: [ACCOUNT], backends: ['pbx1'] },
        recipientId: null,
        expiresAt: new Date('2099-01-01T00:00:00.000Z'),
      });
      await store.flush(); // last_used_at is written in the background
    } finally {
      await db.close();
    }

    const listed = await keys(['list'], env);
    expect(listed.code).toBe(0);
    const [header, row, ...rest] = listed.stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'ID',
      'NAME',
      'ROLE',
      'STATUS',
      'SCOPE',
      'RECIPIENT',
      'CREATED',
      'EXPIRES',
      'LAST USED',
    ]);
    expect(row.split(/\s{2,}/)).toEqual([
      id,
      'ops desk',
      'SUPERVISOR',
      'active',
      `account ${ACCOUNT}, backend pbx1`,
      '-',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      '2099-01-01T00:00:00Z',
      expect.stringMatching(/Z$/),
    ]);
    expect(rest).toEqual([]);
    expect(listed.stdout + listed.stderr).not.toContain(secret);

    const revoked = await keys(['revoke', id], env);
    expect(revoked).toEqual({
      code: 0,
      stdout: `Revoked key ${id} ("ops desk"). Running gateways stop accepting it within 60 s.\n`,
      stderr: '',
    });

    const json = await keys(['list', '--json'], env);
    expect(json.code).toBe(0);
    const records = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(records).toEqual([
      expect.objectContaining({
        id,
        name: 'ops desk',
        role: 'SUPERVISOR',
        status: 'revoked',
        revokedAt: expect.any(String),
      }),
    ]);
    expect(json.stdout).not.toContain(secret);
    expect(Object.keys(records[0])).not.toContain('secretHash');

    const again = await keys(['revoke', key!], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^Key ${id} \\("ops desk"\\) was already revoked at \\d{4}-`));
    expect(again.stdout).not.toContain(secret);

    const unknown = await keys(['revoke', 'nosuchkey1'], env);
    expect(unknown).toEqual({
      code: 1,
      stdout: '',
      stderr: 'patchbay keys: no key with id "nosuchkey1" (see: npm run keys -- list)\n',
    });
  }, 120_000);

  it('bad usage and bad input exit 2 with the reason, before touching the database', async () => {
    const badRole = await keys(['create', '--name', 'x', '--role', 'ROOT'], env);
    expect(badRole).toEqual({
      code: 2,
      stdout: '',
      stderr: 'patchbay keys: role must be one of ADMIN, SUPERVISOR, AGENT, VIEWER, got "ROOT"\n',
    });
    const agent = await keys(['create', '--name', 'desk', '--role', 'AGENT', '--accounts', ACCOUNT], env);
    expect(agent.code).toBe(2);
    expect(agent.stderr).toContain('an AGENT key needs recipientId');
    const unknown = await keys(['rotate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^patchbay keys: unknown command "rotate" \(expected create, list or revoke\)\n\nUsage: npm run keys/,
    );
    const help = await keys(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run keys -- <command>/);
  }, 60_000);

  it('says clearly that a running gateway holds the embedded database (exit 1)', async () => {
    const lock = lockDataDir(dataDir);
    try {
      const run = await keys(['list'], env);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `patchbay keys: the embedded database in ${dataDir} is in use by a running gateway (process ${process.pid}). ` +
          'The embedded PGlite database opens in one process only: stop the gateway, manage keys, then start it again ' +
          '(or run gateways on PostgreSQL with DATABASE_URL, where keys can be managed while they run).\n',
      );
    } finally {
      lock.release();
    }
  }, 60_000);

  it('finds PostgreSQL like the gateway does: --config database.url, or DATABASE_URL (unreachable: exit 1)', async () => {
    const name = await createTestDatabase('keys_cli');
    try {
      const config = join(dataDir, 'gateway.yaml');
      writeFileSync(config, `database:\n  url: ${databaseUrl(name)}\nbackends: []\n`);
      const created = await keys(['--config', config, 'create', '--name', 'root', '--role', 'ADMIN', '--all'], {});
      expect(created.code).toBe(0);
      const id = parseKey(/^(pbk_\S+)$/m.exec(created.stdout)![1])!.id;
      const viaEnv = await keys(['list', '--json'], { DATABASE_URL: databaseUrl(name) });
      expect(JSON.parse(viaEnv.stdout)).toEqual([
        expect.objectContaining({
          id,
          name: 'root',
          role: 'ADMIN',
          scope: { all: true, accountIds: [], backends: [] },
          status: 'active',
        }),
      ]);
    } finally {
      await dropTestDatabase(name);
    }
    const down = await keys(['list'], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^patchbay keys: cannot open the database: /);
  }, 90_000);
});
