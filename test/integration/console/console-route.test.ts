/**
 * /console over real HTTP: the page, bundle and stylesheet with their types and security
 * headers; the demo key only where demo headers are given (escaped); 404 and 405 otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildConsole } from '../../../src/http/console-build';
import { isConsolePath, serveConsole } from '../../../src/http/console-route';

async function serve(demoHeaders?: Record<string, string>): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (isConsolePath(path)) return serveConsole(req, res, path, demoHeaders);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('/console route', () => {
  beforeAll(() => buildConsole(), 60_000);

  it('serves the page, bundle and stylesheet with their types and a same-origin CSP', async () => {
    const { server, origin } = await serve();
    try {
      const page = await fetch(`${origin}/console`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await page.text();
      expect(html).toContain('<script type="module" src="/console/console.js">');
      expect(html).not.toContain('patchbay-demo-key');
      const js = await fetch(`${origin}/console/console.js`);
      expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
      expect((await js.text()).length).toBeGreaterThan(10_000);
      const css = await fetch(`${origin}/console/console.css`);
      expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
      expect((await fetch(`${origin}/console/nope.js`)).status).toBe(404);
      expect((await fetch(`${origin}/console`, { method: 'POST' })).status).toBe(405);
    } finally {
      server.close();
    }
  });

  it('pre-fills the demo key only in demo mode, escaped', async () => {
    const { server, origin } = await serve({ Authorization: 'Bearer pbk_x"><script>' });
    try {
      const html = await (await fetch(`${origin}/console/`)).text();
      expect(html).toContain('<meta name="patchbay-demo-key" content="pbk_x&quot;>&lt;script>">');
    } finally {
      server.close();
    }
  });
});
