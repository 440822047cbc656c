/**
 * Structured JSON logs (pino). One root logger; modules take a child with `component`.
 * Secrets never go in: redact paths cover the config shapes we know, and backends log URLs
 * without credentials.
 */
import pino, { type Logger } from 'pino';
import SonicBoom from 'sonic-boom';

export type { Logger };

function defaultLevel(): string {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.JEST_WORKER_ID ? 'silent' : 'info';
}

/**
 * Written asynchronously and in batches: a write per line (synchronous, or a thread-pool write
 * and its callback) was the largest part of logging a request. Lines reach stdout when 4 KB have
 * gathered or within 100 ms; what is still buffered at exit (crash included) is flushed then.
 *
 * That exit flush must never hold the process: sonic-boom 5 throws from flushSync on a write
 * error such as EPIPE (4.x slept and retried it every 100 ms for ever, so a gateway whose stdout
 * reader had gone ignored SIGTERM), and a reader that is there but stopped reading (EAGAIN) is
 * given EXIT_FLUSH_LIMIT_MS, then the rest is dropped.
 */
export const EXIT_FLUSH_LIMIT_MS = 250;
let exitFlushDeadline = Number.POSITIVE_INFINITY;
let outputBroken = false;
const destination = new SonicBoom({
  fd: 1,
  sync: false,
  minLength: 4096,
  periodicFlush: 100,
  // While running, a slow reader is waited for (lines are kept); at exit only until the deadline.
  retryEAGAIN: () => Date.now() < exitFlushDeadline,
});
// A write error (EPIPE: nobody reads stdout any more) is not worth a crash; nothing is logged
// from here on, and the exit flush is skipped.
destination.on('error', () => {
  outputBroken = true;
});
process.on('exit', () => {
  if (outputBroken) return;
  exitFlushDeadline = Date.now() + EXIT_FLUSH_LIMIT_MS;
  try {
    destination.flushSync();
  } catch {
    // stdout already gone or stuck: nothing left to write to.
  }
});

/** pino's isoTime, formatted once per millisecond: a busy gateway logs many lines per millisecond. */
let lastMs = -1;
let lastTime = '';
export function isoTimeOncePerMs(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

const common = { level: defaultLevel(), timestamp: isoTimeOncePerMs };

export const rootLogger: Logger = pino(
  {
    ...common,
    base: { service: 'patchbay' },
    redact: {
      paths: [
        'password',
        '*.password',
        'apiKey',
        '*.apiKey',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'credentials',
        '*.credentials',
        'token',
        '*.token',
      ],
      censor: '[redacted]',
    },
  },
  destination,
);

/**
 * A logger of flat, known fields on the same output, without redaction: the request log's
 * fields are ids, names, counts and durations (src/observability/request-log.ts), and
 * redaction was a fifth of its cost per request.
 */
export function unredactedLogger(
  component: string,
  to: pino.DestinationStream = destination,
  level = common.level,
): Logger {
  return pino({ ...common, level, base: { service: 'patchbay' } }, to).child({ component });
}

export function componentLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger.child({ component, ...bindings });
}
