/**
 * Forks a TypeScript bench child (swc-register, like `npm start`) and calls it over IPC with
 * bounded waits: a child that hangs fails the benchmark instead of the whole run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export interface RpcChild<C> {
  readonly process: ChildProcess;
  call<K extends keyof C & string>(
    cmd: K,
    args: C[K] extends [infer A, unknown] ? A : never,
    timeoutMs?: number,
  ): Promise<C[K] extends [unknown, infer R] ? R : never>;
  /** Asks politely (`stop`), then kills after a grace period. */
  close(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/**
 * `logFile`: the child's stdout (its JSON logs) goes there, so the gateway logs at its normal
 * level, pays what logging costs, and the progress output stays readable.
 */
export function forkChild<C>(
  script: string,
  o: {
    exposeGc?: boolean;
    env?: Record<string, string>;
    name: string;
    logFile?: string;
    nodeArgs?: string[];
    /** Another checkout to run the script from (a same-run A/B against older code); default this one. */
    root?: string;
  },
): RpcChild<C> {
  const root = o.root ?? ROOT;
  const execArgv = ['-r', '@swc-node/register', ...(o.exposeGc ? ['--expose-gc'] : []), ...(o.nodeArgs ?? [])];
  const out = o.logFile ? openSync(o.logFile, 'a') : 'inherit';
  const child = fork(join(root, script), [], {
    cwd: root,
    execArgv,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', out, 'inherit', 'ipc'],
  });
  if (typeof out === 'number') closeSync(out);
  let seq = 0;
  const pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  let exited = false;
  child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`${o.name}: ${m.error}`));
  });
  child.on('exit', (code, signal) => {
    exited = true;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`${o.name} exited (${signal ?? code}) during a call`));
    }
    pending.clear();
  });

  return {
    process: child,
    call(cmd, args, timeoutMs = 60_000) {
      if (exited) return Promise.reject(new Error(`${o.name} is not running`));
      const id = ++seq;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${o.name}: ${cmd} took over ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        child.send({ id, cmd, args });
      });
    },
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        await (this.call as (c: string, a: unknown, t: number) => Promise<unknown>)('stop', {}, 10_000);
      } catch {
        // Killed below either way.
      }
      // A child that exits as soon as it answered `stop` may already have closed the channel.
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** What a child answers each command with: a value, or a promise of one. */
export type CommandHandlers<C> = {
  [K in keyof C]: (
    args: C[K] extends [infer A, unknown] ? A : never,
  ) => (C[K] extends [unknown, infer R] ? R : never) | Promise<C[K] extends [unknown, infer R] ? R : never>;
};

/**
 * The child's side of forkChild: answers each IPC command with its handler's result (or the
 * error's stack), and runs `onDisconnect` then exits when the parent goes away.
 */
export function serveCommands<C>(
  handlers: CommandHandlers<C>,
  onDisconnect: () => Promise<unknown> | unknown = () => undefined,
): void {
  process.on('message', (m: { id: number; cmd: keyof C; args: never }) => {
    Promise.resolve()
      .then(() => (handlers[m.cmd] as (a: unknown) => unknown)(m.args))
      .then(
        (result) => process.send!({ id: m.id, ok: true, result }),
        (e: Error) => process.send!({ id: m.id, ok: false, error: e.stack ?? String(e) }),
      );
  });
  // The parent went away: nothing else will stop us.
  process.on('disconnect', () => {
    void Promise.resolve()
      .then(onDisconnect)
      .finally(() => process.exit(0));
  });
}
