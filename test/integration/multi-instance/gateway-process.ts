/**
 * A real gateway process (`node -r @swc-node/register src/main.ts --config <file>`), as an
 * operator runs it: its URL is read from the "patchbay listening" log line, its output is kept
 * for diagnostics, and it can be killed hard (SIGKILL) or stopped (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TEST_ADMIN_KEY } from '../../helpers/admin-key';
import { TS_CHILD_ARGS } from '../../helpers/ts-child';

export const REPO_ROOT = resolve(__dirname, '../../..');

export interface GatewayProcess {
  readonly name: string;
  readonly pid: number;
  /** http://127.0.0.1:<port>/graphql */
  readonly url: string;
  readonly wsUrl: string;
  /** The instance id it logged (the lease owner). */
  readonly instanceId: string;
  /** stdout + stderr so far (JSON log lines). */
  output(): string;
  readonly exited: Promise<number | string | null>;
  kill(): void;
  stop(limitMs?: number): Promise<void>;
  /** Closes the read end of its stdout pipe: every later write of the process fails with EPIPE. */
  closeStdout(): void;
  /** Stops reading its stdout (the pipe fills up; writes then wait, EAGAIN). */
  pauseStdout(): void;
}

export interface SpawnGatewayOptions {
  name: string;
  /** The config document written to a temp JSON file. */
  config: Record<string, unknown>;
  startTimeoutMs?: number;
  /** Extra environment (e.g. PATCHBAY_SHUTDOWN_TIMEOUT_MS). */
  env?: Record<string, string>;
  /** The log message that says it serves (a cluster: "cluster listening", once every worker listens). */
  listening?: string;
}

export async function spawnGateway(o: SpawnGatewayOptions): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), `patchbay-${o.name}-`));
  const configFile = join(dir, 'config.json');
  // Each process is one instance unless the test asks for workers (test/integration/cluster/).
  writeFileSync(configFile, JSON.stringify({ workers: 1, ...o.config }, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'info',
    PATCHBAY_DATA_DIR: join(dir, 'data'),
    PATCHBAY_ADMIN_KEY: TEST_ADMIN_KEY,
  };
  const extraEnv = o.env ?? {};
  // The config file is the only source: nothing from the test runner's environment overrides it.
  for (const k of ['PORT', 'HOST', 'DATABASE_URL', 'REDIS_URL', 'NODE_OPTIONS']) delete env[k];
  Object.assign(env, extraEnv);
  const child: ChildProcess = spawn(process.execPath, [...TS_CHILD_ARGS, 'src/main.ts', '--config', configFile], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | string | null>((res) =>
    child.once('exit', (code, signal) => res(code ?? signal)),
  );
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));

  const listening = new Promise<{ url: string; instance: string }>((res, rej) => {
    let pending = '';
    const timer = setTimeout(
      () => rej(new Error(`${o.name}: no "patchbay listening" within ${o.startTimeoutMs ?? 30_000} ms\n${out}`)),
      o.startTimeoutMs ?? 30_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      pending += chunk.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.includes(`"msg":"${o.listening ?? 'patchbay listening'}"`)) continue;
        const entry = JSON.parse(line) as { url: string; instance: string };
        clearTimeout(timer);
        res(entry);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`${o.name} exited (${code}) before listening\n${out}`));
    });
  });

  const handle: GatewayProcess = {
    name: o.name,
    pid: child.pid!,
    url: '',
    wsUrl: '',
    instanceId: '',
    output: () => out,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    async stop(limitMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
      await exited;
      clearTimeout(timer);
    },
    closeStdout: () => child.stdout!.destroy(),
    pauseStdout: () => {
      child.stdout!.removeAllListeners('data');
      child.stdout!.pause();
    },
  };
  try {
    const { url, instance } = await listening;
    return Object.assign(handle, { url, wsUrl: url.replace(/^http/, 'ws'), instanceId: instance });
  } catch (e) {
    handle.kill();
    await exited;
    throw e;
  }
}
