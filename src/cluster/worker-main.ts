/** The entry point of a cluster worker process (forked by src/cluster/primary.ts). */
import 'reflect-metadata';
import { rootLogger } from '../log';
import { runWorker } from './worker';

runWorker().catch((e: unknown) => {
  rootLogger.fatal({ err: e instanceof Error ? { message: e.message, stack: e.stack } : e }, 'worker start-up failed');
  process.exit(1);
});
