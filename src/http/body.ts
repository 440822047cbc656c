/** A request body as text, bounded. */
import type { IncomingMessage } from 'node:http';

/**
 * The body up to `max` bytes; null past the limit (after reading on a little, so the client
 * sees the 413 rather than a reset) or when the client went away mid-body.
 */
export function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max * 16) {
        req.off('data', onData);
        req.destroy();
        resolve(null);
        return;
      }
      if (size <= max) chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(size > max ? null : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    // A promise settles once: after 'end' this is a no-op.
    req.once('close', () => resolve(null));
  });
}
