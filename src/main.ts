/**
 * CLI entry. `npm start` with no arguments runs demo mode; `npm start -- --config <file>` runs
 * against the backends in the file (YAML or JSON). Env overrides: PORT, HOST, DATABASE_URL,
 * PATCHBAY_DATA_DIR, PATCHBAY_BACKEND_<NAME>_PASSWORD / _API_KEY.
 */
import 'reflect-metadata';
import { ConfigError, loadConfigFile, parseConfig, type GatewayConfig } from './config';
import { startDemoBackends, type DemoBackends } from './demo';
import { startGateway } from './gateway';
import { rootLogger } from './log';

const SHUTDOWN_LIMIT_MS = 10_000;

function configPathFromArgs(argv: string[]): string | undefined {
  const i = argv.indexOf('--config');
  if (i === -1) return argv.find((a) => a.startsWith('--config='))?.slice('--config='.length);
  const file = argv[i + 1];
  if (!file) throw new ConfigError(['--config needs a file path']);
  return file;
}

async function main(): Promise<void> {
  const file = configPathFromArgs(process.argv.slice(2));
  let demo: DemoBackends | undefined;
  let config: GatewayConfig;
  if (file) {
    config = loadConfigFile(file);
  } else {
    demo = await startDemoBackends();
    config = { ...parseConfig({}, process.env, { demo: true }), backends: demo.config };
  }
  const gateway = await startGateway(config);
  if (demo) {
    rootLogger.info(`demo mode: simulated backends with live calls. Open ${gateway.url} in a browser.`);
  }

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    rootLogger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      rootLogger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    timer.unref();
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
  rootLogger.fatal({ err: e instanceof Error ? { message: e.message, stack: e.stack } : e }, 'start-up failed');
  process.exit(1);
});
