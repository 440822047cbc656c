/**
 * Captures every log line of this test process (all components share the root pino logger, and
 * children read its stream and level through their prototype), so tests can search them for
 * secrets. Jest silences logs by default; capture() turns them on at debug level.
 */
import pino from 'pino';
import { rootLogger } from '../../../src/log';

const lines: string[] = [];
let restore: (() => void) | undefined;

export function captureLogs(): void {
  const logger = rootLogger as unknown as Record<symbol, unknown>;
  const stream = logger[pino.symbols.streamSym];
  const level = rootLogger.level;
  logger[pino.symbols.streamSym] = { write: (s: string) => void lines.push(s) };
  rootLogger.level = 'debug';
  restore = () => {
    logger[pino.symbols.streamSym] = stream;
    rootLogger.level = level;
  };
}

export function stopCapturingLogs(): void {
  restore?.();
}

export function capturedLogs(): readonly string[] {
  return lines;
}
