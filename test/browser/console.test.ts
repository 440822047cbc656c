/**
 * The operator console in headless Chromium against a gateway with an ARI and a KAZOO simulator:
 * live rows, a refused action's code, hang-up from a row, an agent set ready on the board, resume after the server side
 * drops the page's socket (compared with `events` history), a VIEWER with no actions, a
 * screenshot of each screen, and no serious or critical axe-core violation.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '../helpers/gateway-harness';
import { downStasisChannel, originate, stasisChannel } from '../helpers/channels';
import { startTcpForwarder, type TcpForwarder } from '../integration/events/tcp-forwarder';
import { deadKazooBackend, startKazooGateway, type KazooGateway } from '../integration/gateway-kazoo/kazoo-gateway';
import { launchConsoleBrowser, openConsole, rowState } from './console-page';

const SHOTS = mkdtempSync(join(tmpdir(), 'patchbay-console-shots-'));

describe('operator console in a browser', () => {
  let g: KazooGateway;
  let browser: Browser;
  let fwd: TcpForwarder;
  let origin: string;
  let page: Page;
  let external: string[];
  let gatewayPort: number;

  beforeAll(async () => {
    // kzdown refuses every connection: the page must name it once and keep showing the others.
    const dead = await deadKazooBackend('kzdown');
    g = await startKazooGateway({ ari: true, extraBackends: () => [dead] });
    gatewayPort = Number(new URL(g.h.gateway.url).port);
    // The page reaches the gateway through a forwarder the test can cut: "the server drops the socket".
    fwd = await startTcpForwarder(gatewayPort);
    origin = `http://127.0.0.1:${fwd.port}`;
    browser = await launchConsoleBrowser();
    ({ page, external } = await openConsole(browser, origin, g.h.adminKey, { bypassCSP: true }));
  }, 90_000);
  afterAll(async () => {
    process.stdout.write(`console screenshots: ${SHOTS}\n`);
    await browser?.close();
    await fwd?.close();
    await g?.close();
  });

  const screenshot = (name: string, p: Page = page) =>
    p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('shows channels of every backend appear and change live', async () => {
    const ari = await downStasisChannel(g.h);
    await page.waitForFunction(
      (id) => document.querySelector(`.row[data-id="${CSS.escape(id)}"] .state`)?.textContent === 'DOWN',
      ari,
      { timeout: 10_000 },
    );
    const dial = await g.h.gql(
      'mutation($input: DialChannelInput!) { dialChannel(input: $input) { channel { id } } }',
      { input: { id: ari } },
    );
    expect(dial.errors).toBeUndefined();
    await waitFor(async () => (await rowState(page, ari)) !== 'DOWN', `${ari} row leaves DOWN`, 10_000);

    const callId = g.sim.startCall({
      accountId: g.acme.id,
      toUserId: g.user('carol.agent'),
      callerIdName: 'Console Test',
      callerIdNumber: '+15550001',
    });
    const kz = g.cid(callId);
    await page.waitForSelector(`.row[data-id="${kz}"]`, { timeout: 10_000 });
    expect(await page.textContent(`.row[data-id="${kz}"] .caller`)).toContain('+15550001');
    g.sim.answerCall(callId);
    await waitFor(async () => (await rowState(page, kz)) === 'UP', `${kz} row UP`, 10_000);
    expect(await page.textContent(`.row[data-id="${kz}"] .backend`)).toContain('KAZOO');
    await page.waitForSelector('.banner[data-backend="kzdown"]', { timeout: 10_000 });
    expect(await page.$$eval('.banner', (b) => b.map((x) => x.getAttribute('data-backend')))).toEqual(['kzdown']);
    expect(await page.textContent('.banner')).toContain('kzdown');
    await screenshot('calls');
  }, 60_000);

  it("shows a PJSIP call's MOS badge and jitter/loss sparkline from the one channelQuality stream", async () => {
    // PJSIP channels have RTP statistics on the simulator (Local ones have none: no badge).
    const { id } = await originate(g.h, { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay' });
    const row = `.row[data-id="${id}"]`;
    await page.waitForFunction(
      (sel) => /^MOS [1-4]\.\d$/.test(document.querySelector(`${sel} .quality-link .mos`)?.textContent ?? ''),
      row,
      { timeout: 15_000 },
    );
    // Two samples draw a line: the stream's interval is a few seconds.
    await page.waitForFunction(
      (sel) => (document.querySelector(`${sel} .spark-jitter`)?.getAttribute('points') ?? '').split(' ').length >= 2,
      row,
      { timeout: 20_000 },
    );
    expect((await page.getAttribute(`${row} .spark-loss`, 'points'))!.split(' ').length).toBeGreaterThanOrEqual(2);
    expect(await page.getAttribute(`${row} .quality-link`, 'aria-label')).toMatch(
      /MOS \d\.\d, jitter \d+ ms, loss \d+\.\d %/,
    );
    const stasis = await stasisChannel(g.h);
    await page.waitForSelector(`.row[data-id="${stasis}"]`, { timeout: 10_000 });
    expect(await page.textContent(`.row[data-id="${stasis}"] .quality`)).toBe('—');
    // One subscription for the page, not one per row.
    const sessions = await g.h.gql('{ gatewaySessions { subscriptions { query } } }');
    const docs: string[] = (sessions.data?.gatewaySessions ?? []).flatMap((s: any) =>
      s.subscriptions.map((x: any) => x.query),
    );
    expect(docs.filter((q) => q.includes('channelQuality('))).toHaveLength(1);
    await screenshot('calls-quality');
    // The badge opens the call's quality chart, fed by the same samples.
    await page.click(`${row} .quality-link`);
    await page.waitForSelector(`#charts .quality-charts[data-id="${id}"] figure`, { timeout: 10_000 });
    expect(
      await page.$$eval('#charts .quality-charts figcaption', (f) => f.map((x) => x.textContent!.split(' of ')[0])),
    ).toEqual(['MOS', 'Jitter (ms)', 'Packet loss (%)']);
    await page.click('#nav-calls');
  }, 60_000);

  it("shows a refused action's code on its row", async () => {
    const id = await stasisChannel(g.h);
    await page.click(`.row[data-id="${id}"] button.act-play`, { timeout: 10_000 });
    await page.fill('dialog #dlg-media', 'bogus:x');
    await page.click('dialog button[value=ok]');
    await page.waitForFunction(
      (rowId) =>
        document.querySelector(`.row[data-id="${CSS.escape(rowId)}"] .problem`)?.textContent ===
        'Play sound refused: BAD_USER_INPUT',
      id,
      { timeout: 10_000 },
    );
  }, 60_000);

  it('hangs up from a row: the simulator ends the call and the row goes', async () => {
    const id = await stasisChannel(g.h);
    const nativeId = id.slice(id.indexOf(':') + 1);
    await page.click(`.row[data-id="${id}"] button.act-hangup`, { timeout: 10_000 });
    await waitFor(() => !g.h.sims[0].channelIds().includes(nativeId), 'channel gone on the ARI simulator', 10_000);
    await page.waitForSelector(`.row[data-id="${id}"]`, { state: 'detached', timeout: 10_000 });
  }, 60_000);

  it('sets an agent ready on the board and the KAZOO simulator has it ready', async () => {
    const bob = g.rid('bob.agent');
    expect(g.sim.recipientState(g.user('bob.agent'))).toBe('Away');
    await page.click('#nav-agents');
    const ready = `article[data-id="${bob}"] button.act-ready`;
    await page.click(ready, { timeout: 10_000 });
    await waitFor(() => g.sim.recipientState(g.user('bob.agent')) === 'Ready', 'bob Ready on the simulator', 10_000);
    await page.waitForFunction(
      (id) => document.querySelector(`article[data-id="${CSS.escape(id)}"] .astate`)?.textContent === 'Ready',
      bob,
      { timeout: 10_000 },
    );
    await screenshot('agents');
  }, 60_000);

  it("resumes the event tail after a dropped socket with exactly the journal's events", async () => {
    await page.click('#nav-events');
    await downStasisChannel(g.h);
    await page.waitForFunction(() => (window as any).patchbayConsole.events.seen.length > 0, undefined, {
      timeout: 10_000,
    });
    fwd.down();
    await page.waitForFunction(() => (window as any).patchbayConsole.socketUp === false, undefined, {
      timeout: 10_000,
    });
    // Events while the page is cut off: a channel made and hung up, an agent set away.
    const missedChannel = await downStasisChannel(g.h);
    await g.h.gql('mutation($input: HangupChannelInput!) { hangupChannel(input: $input) { hungUpChannelId } }', {
      input: { id: missedChannel },
    });
    g.sim.recipientCommand(g.user('carol.agent'), 'away');
    await waitFor(
      async () =>
        (
          await g.h.gql('{ events(first: 500) { edges { node { ... on ChannelEvent { channelId } } } } }')
        ).data!.events.edges.some((e: any) => e.node.channelId === missedChannel),
      'missed events journaled',
      10_000,
    );
    fwd.up(gatewayPort);
    await page.waitForSelector('#events .notice:has-text("reconnected")', { timeout: 20_000 });
    const notice = await page.textContent('#events .notice');
    expect(notice).toMatch(/reconnected — [1-9]\d* missed events? replayed/);
    await page.waitForFunction(
      (id) => document.querySelector('#events .tail')!.textContent!.includes(id),
      missedChannel,
      { timeout: 10_000 },
    );

    // The channel and agent streams resume each on its own socket: the missed channel in the tail
    // says only the first has caught up. Wait until the page holds every journaled event up to the
    // newest it shows, then compare exactly (the wait passes early on extras; the check does not).
    const seenNow = (): Promise<string[]> => page.evaluate(() => (window as any).patchbayConsole.events.seen);
    const journalAfter = async (after: string): Promise<string[]> =>
      (
        await g.h.gql(
          'query($after: String) { events(after: $after, first: 500, filter: { categories: [CHANNEL, AGENT] }) { edges { cursor } } }',
          { after },
        )
      ).data!.events.edges.map((e: { cursor: string }) => e.cursor);
    const oldest = (cursors: string[]): string => cursors.reduce((a, b) => (BigInt(a) < BigInt(b) ? a : b));
    const newest = (cursors: string[]): string => cursors.reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b));
    await waitFor(async () => {
      const now = await seenNow();
      const held = new Set(now);
      return (await journalAfter(oldest(now)))
        .filter((c) => BigInt(c) <= BigInt(newest(now)))
        .every((c) => held.has(c));
    }, 'the page holding every journaled event up to its newest');

    const seen = await seenNow();
    expect(new Set(seen).size).toBe(seen.length);
    const first = oldest(seen);
    const last = newest(seen);
    const journal = (await journalAfter(first)).filter((c: string) => BigInt(c) <= BigInt(last));
    const shown = seen.filter((c) => c !== first).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect(shown).toEqual(journal);
    await screenshot('events');
  }, 90_000);

  it('draws the charts and passes axe-core with no serious or critical violation', async () => {
    await page.click('#nav-charts');
    await page.waitForSelector('#charts figure svg', { timeout: 10_000 });
    await screenshot('charts');
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    for (const screen of ['calls', 'agents', 'events', 'charts']) {
      await page.click(`#nav-${screen}`);
      const violations = await page.evaluate(async () => {
        const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
        return r.violations
          .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
          .map((v: any) => `${v.id}: ${v.nodes.length} (${v.nodes[0]?.target})`);
      });
      expect({ screen, violations }).toEqual({ screen, violations: [] });
    }
    expect(external).toEqual([]);
  }, 60_000);

  it('shows an AGENT key only its own card, and no calls', async () => {
    const alice = g.rid('alice.agent');
    const agentKey = await g.h.keyFor('AGENT', { accountIds: [g.acme.id] }, alice);
    const a = await openConsole(browser, origin, agentKey);
    await a.page.waitForSelector(`article[data-id="${alice}"]`, { timeout: 10_000 });
    expect(await a.page.$$eval('article.agent', (cards) => cards.map((c) => c.getAttribute('data-id')))).toEqual([
      alice,
    ]);
    expect(await a.page.$('#calls')).toBeNull();
    expect(await a.page.$('#nav-calls')).toBeNull();
    expect(await a.page.$(`article[data-id="${alice}"] button.act-logout`)).not.toBeNull();
    expect(await a.page.$('button.act-monitor')).toBeNull();
    expect(a.external).toEqual([]);
  }, 60_000);

  it('shows a VIEWER key no action at all', async () => {
    const viewer = await g.h.keyFor('VIEWER', { all: true });
    const id = await stasisChannel(g.h);
    const v = await openConsole(browser, origin, viewer);
    await v.page.waitForSelector(`.row[data-id="${id}"]`, { timeout: 10_000 });
    await v.page.click('#nav-agents');
    await v.page.waitForSelector('article.agent', { timeout: 10_000 });
    expect(await v.page.$$eval('button.act', (b) => b.length)).toBe(0);
    expect(await v.page.$$eval('button', (b) => b.map((x) => x.textContent))).toEqual(['Sign out']);
    await screenshot('viewer-agents', v.page);
    expect(v.external).toEqual([]);
  }, 60_000);

  it('resumes without a gap when the socket drops before the page saw any event', async () => {
    const fresh = await openConsole(browser, origin, g.h.adminKey);
    expect(await fresh.page.evaluate(() => (window as any).patchbayConsole.events.seen.length)).toBe(0);
    fwd.down();
    await fresh.page.waitForFunction(() => (window as any).patchbayConsole.socketUp === false, undefined, {
      timeout: 10_000,
    });
    const missed = await downStasisChannel(g.h);
    fwd.up(gatewayPort);
    // Without a cursor to resume after, the page would come back live and never show `missed`.
    await fresh.page.waitForSelector('#events .notice:has-text("reconnected")', { state: 'attached', timeout: 20_000 });
    await fresh.page.waitForFunction(
      (id) => document.querySelector('#events .tail')!.textContent!.includes(id),
      missed,
      { timeout: 10_000 },
    );
    await fresh.page.waitForSelector(`.row[data-id="${missed}"]`, { state: 'attached', timeout: 10_000 });
    expect(fresh.external).toEqual([]);
  }, 60_000);
});
