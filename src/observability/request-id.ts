/** The client's X-Request-ID when it sent a sane one (it then travels to backends and logs), else null. */
import type { IncomingMessage } from 'node:http';

const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export function clientRequestId(req: IncomingMessage): string | null {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : null;
}
