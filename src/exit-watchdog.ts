/**
 * The last guarantee that a stopping process ends: a worker thread that kills it (SIGKILL) when
 * it is still alive `ms` after shutdown began. A timer on the main thread cannot help once that
 * thread is stuck in a synchronous call — a write to a stdout pipe that nobody drains blocks in
 * the kernel, and the log's flush at exit is such a write (see src/log.ts).
 */
import { Worker } from 'node:worker_threads';

const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms);
`;

export function armExitWatchdog(ms: number): void {
  // No execArgv: the worker needs no TypeScript loader, and starts in a few milliseconds.
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { pid: process.pid, ms },
    stdout: false,
    stderr: false,
  });
  // It never holds the process open: a process that ends by itself takes the worker with it.
  worker.unref();
}
