/**
 * Drives the operator console in Debian's headless Chromium (playwright-core), shared by the
 * browser test and the console bench. Requests to anything but this machine are refused and
 * recorded: the console must work offline.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { buildConsole } from '../../src/http/console-build';

/** Bundles the current console sources (src/http/console-build.ts) and starts Chromium. */
export async function launchConsoleBrowser(): Promise<Browser> {
  await buildConsole({ minify: true });
  return launchChromium();
}

export interface ConsolePage {
  page: Page;
  /** Non-local URLs the page tried to load. */
  external: string[];
}

/** Opens /console on `origin`, signs in with `key` and waits for the signed-in header. */
export async function openConsole(
  browser: Browser,
  origin: string,
  key: string,
  o: { bypassCSP?: boolean; init?: () => void } = {},
): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: o.bypassCSP });
  const page = await context.newPage();
  if (o.init) await page.addInitScript(o.init);
  const external: string[] = [];
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.protocol === 'data:') return route.continue();
    external.push(u.toString());
    return route.abort();
  });
  page.on('pageerror', (e) => external.push(`pageerror: ${e.message}`));
  await page.goto(`${origin}/console`);
  await page.fill('#api-key', key);
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector('header .who', { timeout: 20_000 });
  await page.waitForFunction(() => (window as any).patchbayConsole?.socketUp === true, undefined, { timeout: 20_000 });
  return { page, external };
}

/** The text of a calls-table row's state badge, or null when the row is absent. */
export function rowState(page: Page, id: string): Promise<string | null> {
  return page.evaluate(
    (rowId) => document.querySelector(`.row[data-id="${CSS.escape(rowId)}"] .state`)?.textContent ?? null,
    id,
  );
}
