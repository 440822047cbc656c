/**
 * Serves the operator console at /console: its page, bundle and stylesheet from console/dist,
 * built on the first request when missing (src/http/console-build.ts). Demo mode's page carries
 * the local admin key in a meta tag to pre-fill sign-in, like GraphiQL's headers (demo listens
 * on 127.0.0.1 only).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildConsole, consoleBuilt, CONSOLE_DIR, CONSOLE_DIST } from './console-build';
import { componentLogger } from '../log';
import type { HttpRoute } from './routes';

const log = componentLogger('console');
export const CONSOLE_PATH = '/console';

const ASSETS: Record<string, { file: string; type: string }> = {
  '/console/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/console/console.js.map': { file: 'console.js.map', type: 'application/json; charset=utf-8' },
  '/console/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};

/** Only the gateway itself: scripts, styles and sockets from this origin, nothing else. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

let building: Promise<void> | null = null;

function ensureBuilt(): Promise<void> {
  if (consoleBuilt()) return Promise.resolve();
  building ??= buildConsole().catch((e: Error) => {
    building = null;
    throw e;
  });
  return building;
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

async function pageHtml(demoHeaders?: Record<string, string>): Promise<string> {
  const html = await readFile(join(CONSOLE_DIR, 'index.html'), 'utf8');
  const key = demoHeaders?.Authorization?.replace(/^Bearer\s+/i, '');
  return html.replace(
    '<!--patchbay-demo-key-->',
    key ? `<meta name="patchbay-demo-key" content="${escapeAttr(key)}">` : '',
  );
}

export function isConsolePath(pathname: string): boolean {
  return pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`);
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  demoHeaders?: Record<string, string>,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
    return;
  }
  await ensureBuilt();
  const asset = ASSETS[pathname];
  let body: Buffer | string;
  let type: string;
  if (asset) [body, type] = [await readFile(join(CONSOLE_DIST, asset.file)), asset.type];
  else if (pathname === CONSOLE_PATH || pathname === `${CONSOLE_PATH}/`)
    [body, type] = [await pageHtml(demoHeaders), 'text/html; charset=utf-8'];
  else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`no console asset ${pathname}`);
    return;
  }
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...SECURITY_HEADERS });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Answers a /console request; a failed build or read is a 500 with the reason logged. */
export function serveConsole(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  demoHeaders?: Record<string, string>,
): void {
  answer(req, res, pathname, demoHeaders).catch((e: Error) => {
    log.error({ err: e.message }, 'console could not be served');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('console unavailable: see the gateway log');
  });
}

/** The console as a route of the gateway's HTTP server (src/http/routes.ts). */
export function consoleRoute(demoHeaders?: Record<string, string>): HttpRoute {
  return (req, res, ctx) => {
    if (!isConsolePath(ctx.pathname)) return false;
    serveConsole(req, res, ctx.pathname, demoHeaders);
    return true;
  };
}
