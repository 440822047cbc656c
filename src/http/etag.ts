/**
 * Validators for pollers: a query's answer carries `ETag`; a request whose If-None-Match
 * names it gets 304 Not Modified with no body. Weak (W/) because the same answer may go out
 * gzipped or plain (RFC 9110 8.8.3), and If-None-Match compares weakly anyway (13.1.2).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function etagOf(body: Buffer): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** If-None-Match lists this entity tag (or is `*`). */
export function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === opaque;
  });
}

/** 304: the validator and the response's other headers, without the body's own. */
export function sendNotModified(res: ServerResponse, etag: string): void {
  for (const h of ['content-type', 'content-length', 'content-encoding']) res.removeHeader(h);
  res.setHeader('etag', etag);
  res.writeHead(304);
  res.end();
}
