/**
 * The gateway under fuzz: the real CLI (`src/main.ts --config`) in a process of its own, so a
 * crash is the process exiting, and nothing the test process does can hide one. The ADMIN key
 * comes from PATCHBAY_ADMIN_KEY; a VIEWER key is made in the data dir before the CLI opens it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyStore } from '../../../src/auth/api-keys';
import { defaultSecurity } from '../../../src/config';
import { openDatabase } from '../../../src/store/database';
import { waitFor } from '../../helpers/wait-for';
import { TS_CHILD_ARGS } from '../../helpers/ts-child';
import { TEST_KEY_HASH_COST } from '../../helpers/key-hash-cost';

const ROOT = join(__dirname, '..', '..', '..');
export const FUZZ_ADMIN_KEY = 'fuzz-admin-key-0123456789abcdefghijklmnopqrstuvwxyz';

export interface FuzzGateway {
  url: string;
  origin: string;
  adminKey: string;
  viewerKey: string;
  /** Set once the process has exited (a crash while the fuzz runs). */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Log lines at level error or above (unexpected errors the server caught). */
  errorLines: string[];
  /** The last output, for failure messages. */
  tail(): string;
  stop(): Promise<void>;
}

export async function startFuzzGateway(ariUrl: string): Promise<FuzzGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-fuzz-'));
  const dataDir = join(dir, 'data');
  const db = await openDatabase({ dataDir });
  let viewerKey: string;
  try {
    viewerKey = (
      await new ApiKeyStore(db, { hashCost: TEST_KEY_HASH_COST }).create({
        name: 'fuzz viewer',
        role: 'VIEWER',
        scope: { all: true },
      })
    ).key;
  } finally {
    await db.close();
  }
  // The rate limit is per key and the fuzz is three keys: left at 100/s, most requests would
  // stop at 429 and never reach parsing or execution. Every other limit stays at its default.
  const security = { ...defaultSecurity(), rateLimit: { burst: 1_000_000, perSecond: 1_000_000 } };
  const configFile = join(dir, 'patchbay.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      port: 0,
      host: '127.0.0.1',
      workers: 1,
      database: { dataDir },
      security,
      backends: [
        {
          name: 'pbx1',
          kind: 'ari',
          url: ariUrl,
          username: 'asterisk',
          password: 'asterisk',
          app: 'patchbay',
          // The simulator shares the test's event loop with the fuzz client; on a loaded box it
          // answered the probe's call later than 2 s, which the gateway rightly reported.
          requestTimeoutMs: 10_000,
        },
      ],
    }),
  );
  const child: ChildProcess = spawn(process.execPath, [...TS_CHILD_ARGS, 'src/main.ts', '--config', configFile], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', PATCHBAY_ADMIN_KEY: FUZZ_ADMIN_KEY, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const errorLines: string[] = [];
  let pending = '';
  const onData = (d: Buffer): void => {
    const text = d.toString();
    out = (out + text).slice(-20_000);
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) if (/"level":(5|6)\d/.test(l)) errorLines.push(l.slice(0, 2000));
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const gw: FuzzGateway = {
    url: '',
    origin: '',
    adminKey: FUZZ_ADMIN_KEY,
    viewerKey,
    exit: null,
    errorLines,
    tail: () => out.slice(-4000),
    async stop() {
      if (gw.exit === null) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  child.once('exit', (code, signal) => {
    gw.exit = { code, signal };
  });
  const url = await waitForListening(
    child,
    () => out,
    () => gw.exit,
  );
  gw.url = url;
  gw.origin = new URL(url).origin;
  return gw;
}

/** Port 0 in the config: the CLI's `patchbay listening` log line says where it is. */
async function waitForListening(child: ChildProcess, output: () => string, exited: () => unknown): Promise<string> {
  const listening = () => {
    if (exited()) throw new Error(`gateway exited during start-up:\n${output()}`);
    return /"url":"(http:\/\/[^"]+\/graphql)"/.exec(output())?.[1];
  };
  try {
    return await waitFor(listening, 'the gateway to listen', { timeoutMs: 60_000, everyMs: 50 });
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}:\n${output()}`, { cause: err });
  }
}
