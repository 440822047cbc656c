/** Small writers for the HTTP adapters: JSON answers and refusals (src/api/refusal.ts). */
import type { ServerResponse } from 'node:http';
import { refusalBody, type Refusal } from '../api/refusal';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendRefusal(res: ServerResponse, r: Refusal): void {
  sendJson(res, r.status, refusalBody(r), r.headers);
}

/** Adds a token to the response's Vary header (several parts of the pipeline vary it). */
export function appendVary(res: ServerResponse, token: string): void {
  const now = res.getHeader('vary');
  if (now === undefined || now === '') res.setHeader('vary', token);
  else if (
    !String(now)
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes(token.toLowerCase())
  )
    res.setHeader('vary', `${String(now)}, ${token}`);
}
