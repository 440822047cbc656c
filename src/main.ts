/**
 * CLI entry. `npm start` with no arguments runs demo mode; `npm start -- --config <file>` runs
 * against the backends in the file (YAML or JSON). Env overrides: PORT, HOST, DATABASE_URL,
 * PATCHBAY_DATA_DIR, PATCHBAY_WORKERS, PATCHBAY_BACKEND_<NAME>_PASSWORD / _API_KEY,
 * PATCHBAY_SHUTDOWN_TIMEOUT_MS. With more than one worker this process is the cluster's primary.
 *
 * SIGTERM/SIGINT stop gracefully (see Gateway.stop) and exit 0, or 1 when that takes longer
 * than the shutdown bound; a main thread stuck past the bound is killed (src/exit-watchdog.ts).
 */
import 'reflect-metadata';
import { ConfigError, loadConfigFile, parseConfig, type GatewayConfig } from './config';
import { demoAdminKey, startDemoBackends, type DemoBackends } from './demo';
import { startGateway } from './gateway';
import type { ApiKeyStore } from './auth/api-keys';
import { startCluster } from './cluster/primary';
import { armExitWatchdog } from './exit-watchdog';
import { exitOnUsageError, parseCommandLine } from './cli-args';
import { EXIT_FLUSH_LIMIT_MS, rootLogger } from './log';

const DEFAULT_SHUTDOWN_LIMIT_MS = 10_000;

/** The whole shutdown's bound; requests and subscriptions get half of it to finish. */
function shutdownLimitMs(env: NodeJS.ProcessEnv): number {
  const raw = env.PATCHBAY_SHUTDOWN_TIMEOUT_MS;
  if (raw === undefined || raw === '') return DEFAULT_SHUTDOWN_LIMIT_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100 || ms > 600_000)
    throw new ConfigError([
      `env PATCHBAY_SHUTDOWN_TIMEOUT_MS: expected an integer from 100 to 600000 (ms), got ${JSON.stringify(raw)}`,
    ]);
  return ms;
}

async function main(): Promise<void> {
  const limitMs = shutdownLimitMs(process.env);
  const file = parseCommandLine(process.argv.slice(2), { config: { type: 'string' } }).values.config;
  let demo: DemoBackends | undefined;
  let config: GatewayConfig;
  if (file) {
    config = loadConfigFile(file);
  } else {
    demo = await startDemoBackends();
    // The demo hands GraphiQL an admin key: it listens on this machine only unless HOST says otherwise.
    config = { ...parseConfig({}, { HOST: '127.0.0.1', ...process.env }, { demo: true }), backends: demo.config };
  }
  let demoKey: string | undefined;
  const drainMs = Math.floor(limitMs / 2);
  const beforeListen = demo
    ? async (keys: ApiKeyStore) => {
        const made = await demoAdminKey(keys, config.database.dataDir);
        demoKey = made.key;
        return { Authorization: `Bearer ${made.key}` };
      }
    : undefined;
  const workers = config.workers ?? 1;
  // One process is exactly the gateway as it always was; more are a cluster (src/cluster/).
  const gateway =
    workers > 1
      ? await startCluster(config, { workers, drainMs, beforeListen })
      : await startGateway(config, { observability: { drainMs }, beforeListen });
  if (demo) {
    rootLogger.info(
      `demo mode: simulated backends with live calls. Open ${gateway.url} in a browser (GraphiQL carries the local admin key).`,
    );
    rootLogger.info(
      `operator console: ${new URL('/console', gateway.url).toString()} (sign-in is pre-filled with the local admin key)`,
    );
    // Printed for the person at the console (curl, other clients); never logged as a field.
    process.stdout.write(
      `\npatchbay demo admin key (also in ${config.database.dataDir}/demo-admin.key):\n  ${demoKey}\n\n`,
    );
  }

  let stopping = false;
  const shutdown = (signal: string): void => {
    // A repeated signal is ignored: `npm start` forwards Ctrl-C's SIGINT that the process also got.
    if (stopping) return;
    stopping = true;
    rootLogger.info({ signal, limitMs }, 'shutting down');
    // Whatever stop() waits on (a dead database or backend), the process is gone within limitMs:
    // the exit flush of the log gets the last EXIT_FLUSH_LIMIT_MS of it.
    const timer = setTimeout(
      () => {
        rootLogger.error('shutdown took too long; exiting');
        process.exit(1);
      },
      Math.max(limitMs / 2, limitMs - EXIT_FLUSH_LIMIT_MS),
    );
    timer.unref();
    armExitWatchdog(limitMs);
    gateway
      .stop()
      .then(() => demo?.stop())
      .then(() => process.exit(0))
      .catch((e: Error) => {
        rootLogger.error({ err: e.message }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`patchbay: ${e.message}\n`);
    process.exit(2);
  }
  exitOnUsageError(e, 'patchbay', 'Usage: npm start [-- --config <file>]');
  rootLogger.fatal({ err: e instanceof Error ? { message: e.message, stack: e.stack } : e }, 'start-up failed');
  process.exit(1);
});
