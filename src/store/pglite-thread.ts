/**
 * PGlite and its socket server on a worker thread of their own. PGlite executes every query
 * synchronously in WASM on the thread that owns it; on the gateway's main thread each journal
 * append, audit batch or lease renewal held up every request and event for as long as
 * PostgreSQL took to run it (docs/operations-performance.md, "The embedded database runs on a thread of its own"). Here the
 * main thread only speaks the wire protocol over a local socket, exactly as to a PostgreSQL
 * server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface PgliteThreadOptions {
  dataDir: string;
  startParams: string[];
  initDbStartParams: string[];
  maxConnections: number;
}

export interface PgliteThread {
  /** The socket server's port on 127.0.0.1. */
  port: number;
  /** Closes the socket server, then PGlite (its files are flushed), then ends the thread. */
  stop(): Promise<void>;
  /** Called when the thread fails or ends without stop(): the database is gone. */
  onFailure(listener: (err: Error) => void): void;
}

type FromThread = { ready: number } | { failed: string } | { stopped: true };

// Plain CommonJS (no TypeScript loader in the thread): it starts in milliseconds, and the
// modules it needs are resolved by the main thread and passed in.
const THREAD_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const { PGlite } = require(w.pglite);
const { PGLiteSocketServer } = require(w.socket);
(async () => {
  const db = await PGlite.create({
    dataDir: w.dataDir,
    startParams: [...PGlite.defaultStartParams, ...w.startParams],
    initDbStartParams: w.initDbStartParams,
    pgliteWasmModule: w.wasmModule,
  });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: w.maxConnections });
  try {
    await server.start();
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  parentPort.once('message', async () => {
    try {
      await server.stop();
    } finally {
      await db.close();
      parentPort.postMessage({ stopped: true });
    }
  });
  parentPort.postMessage({ ready: Number(server.getServerConn().split(':').pop()) });
})().catch((err) => parentPort.postMessage({ failed: String((err && err.stack) || err) }));
`;

/**
 * PGlite's WASM, compiled once per process and handed to every thread: each thread compiling
 * it again cost ~0.2 s of CPU per open (the test suite opens a database ~100 times).
 */
let compiled: Promise<WebAssembly.Module> | undefined;
function pgliteWasm(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(
    readFileSync(path.join(path.dirname(require.resolve('@electric-sql/pglite')), 'pglite.wasm')),
  );
  return compiled;
}

export async function startPgliteThread(o: PgliteThreadOptions): Promise<PgliteThread> {
  const wasmModule = await pgliteWasm();
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    execArgv: [],
    // The thread's own JavaScript is the socket server's message handling: a 2 MB young
    // generation holds it, and the default's semi-spaces cost ~10 MB of idle RSS (measured with
    // `npm start`, docs/operations-performance.md).
    resourceLimits: { maxYoungGenerationSizeMb: 2 },
    workerData: {
      ...o,
      wasmModule,
      pglite: require.resolve('@electric-sql/pglite'),
      socket: require.resolve('@electric-sql/pglite-socket'),
    },
  });
  const failureListeners: Array<(err: Error) => void> = [];
  let stopping = false;
  const fail = (err: Error): void => {
    if (!stopping) for (const l of failureListeners) l(err);
  };
  return new Promise<PgliteThread>((resolve, reject) => {
    const early = (err: Error): void => reject(err);
    worker.once('error', early);
    worker.once('exit', (code) => early(new Error(`embedded database thread exited (${code}) while starting`)));
    worker.once('message', (m: FromThread) => {
      worker.removeAllListeners('error').removeAllListeners('exit');
      if (!('ready' in m)) {
        void worker.terminate();
        return reject(new Error(`embedded database failed to start: ${'failed' in m ? m.failed : 'no port'}`));
      }
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`embedded database thread exited (${code})`)));
      resolve({
        port: m.ready,
        onFailure: (l) => void failureListeners.push(l),
        async stop() {
          if (stopping) return;
          stopping = true;
          const stopped = new Promise<void>((done) => {
            worker.once('message', () => done());
            worker.once('exit', () => done());
          });
          worker.postMessage('stop');
          await stopped;
          await worker.terminate();
        },
      });
    });
  });
}
