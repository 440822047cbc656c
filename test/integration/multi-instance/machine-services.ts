/**
 * The machine's Redis and PostgreSQL, which several gateway processes share. A service that is
 * down fails the suite with the command that starts it, never a silent skip.
 */
import { createConnection } from 'node:net';

export const REDIS_URL = 'redis://127.0.0.1:6379';
export const REDIS_START_COMMAND =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

/** PING over a raw socket: the gateways bring their own client, the test only needs to know Redis answers. */
export async function requireRedis(port = 6379, timeoutMs = 2000): Promise<void> {
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    let got = '';
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      got += d.toString();
      if (got.includes('\r\n')) {
        clearTimeout(timer);
        socket.end();
        resolve(got.trim());
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  }).catch((e: Error) => {
    throw new Error(
      `Redis is not reachable at 127.0.0.1:${port}: ${e.message}. Start it with:\n  ${REDIS_START_COMMAND}`,
    );
  });
  if (answer !== '+PONG')
    throw new Error(
      `Redis at 127.0.0.1:${port} answered PING with ${JSON.stringify(answer)}. Start a plain one with:\n  ${REDIS_START_COMMAND}`,
    );
}
