/**
 * GraphiQL in a real (headless) Chromium: the page renders with every non-local request blocked,
 * runs a query, and runs a subscription over graphql-ws on the same path.
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium';
import { startHarness, waitFor, type Harness } from '../../helpers/gateway-harness';
import { stasisChannel } from '../../helpers/channels';

describe('GraphiQL in a browser', () => {
  let h: Harness;
  let browser: Browser;
  const external: string[] = [];

  beforeAll(async () => {
    h = await startHarness();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function openGraphiQL(query: string) {
    const page = await browser.newPage();
    // The key travels as a header on GraphiQL's requests and on its graphql-ws upgrade.
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${h.adminKey}` });
    await page.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.protocol === 'data:' || u.protocol === 'blob:')
        return route.continue();
      external.push(u.toString());
      return route.abort();
    });
    await page.goto(`${h.gateway.url}?query=${encodeURIComponent(query)}`);
    await page.waitForSelector('.graphiql-execute-button', { timeout: 20_000 });
    return page;
  }

  it('renders offline and runs a query', async () => {
    const id = await stasisChannel(h);
    const page = await openGraphiQL('{ channels { id state } }');
    await page.click('.graphiql-execute-button');
    await page.waitForFunction((text) => document.querySelector('.result-window')?.textContent?.includes(text), id, {
      timeout: 10_000,
    });
    expect(external).toEqual([]);
    await page.close();
  }, 60_000);

  it('runs a subscription over graphql-ws and shows live events', async () => {
    const page = await openGraphiQL(
      'subscription { channelEvents(filter: { types: [CHANNEL_ANSWERED] }) { __typename cursor channelId } }',
    );
    await page.click('.graphiql-execute-button');
    // The page's subscription is registered once the gateway lists it; only then is the call made.
    await waitFor(async () => {
      const r = await h.gql<{ gatewaySessions: Array<{ subscriptions: unknown[] }> }>(
        '{ gatewaySessions { subscriptions { id } } }',
      );
      return r.data?.gatewaySessions.some((s) => s.subscriptions.length > 0);
    }, 'GraphiQL subscribed');
    const id = await stasisChannel(h);
    await page.waitForFunction((text) => document.querySelector('.result-window')?.textContent?.includes(text), id, {
      timeout: 10_000,
    });
    const shown = await page.textContent('.result-window');
    expect(shown).toContain('ChannelAnswered');
    expect(external).toEqual([]);
    await page.close();
  }, 60_000);
});
