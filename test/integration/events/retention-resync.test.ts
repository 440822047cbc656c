/**
 * A cursor older than the journal keeps: the subscriber gets one ResyncRequired carrying the
 * current snapshot and the cursor live events continue after, then live events — no partial
 * history. A cursor exactly at the retention boundary still replays.
 */
import { startHarness, subscribe, waitFor, type Harness } from '../../helpers/gateway-harness';
import { originate } from '../../helpers/channels';
import { fromJournal, inboundCallCycle, journalSince, quiesce, seenThrough, waitForLiveView } from './event-helpers';

const KEEP = 10;
const SUB = `subscription($after: String, $filter: ChannelEventFilter) { channelEvents(after: $after, filter: $filter) {
  __typename cursor channelId reconciled
  ... on ResyncRequired { requestedAfter backend { name } channel { id } channels { nativeId rawState backend { name } } }
} }`;
const AUTH = { authorization: `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}` };

describe('cursor older than retention', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ retention: { maxEvents: KEEP } });
    await waitForLiveView(h);
  });
  afterAll(() => h?.close());

  it('gets ResyncRequired with the current snapshot, then live; a cursor at the boundary still replays; the resync cursor resumes without a gap', async () => {
    const oldest = await quiesce(h);
    const held = h.sims[0].inboundCall({ endpoint: 'PJSIP/alice', exten: '100', app: 'patchbay', answered: true });
    await originate(h, {
      backend: 'pbx1',
      endpoint: 'Local/wait@ari-test',
      extension: 'wait',
      context: 'ari-test',
      priority: 1,
      channelId: 'kept',
    });
    for (let i = 0; i < 3; i++) await inboundCallCycle(h.sims[0], 'PJSIP/bob');
    const firstEvent = (await journalSince(h, oldest))[0].cursor;
    const end = await quiesce(h);
    const total = (await journalSince(h, null)).length;
    expect(total).toBeGreaterThan(3 * KEEP);

    expect(await h.gateway.events.journal.prune()).toBe(total - KEEP);
    const retained = await journalSince(h, null, {});
    expect(retained).toHaveLength(KEEP);
    expect(retained[retained.length - 1].cursor).toBe(end);
    const boundary = String(BigInt(retained[0].cursor) - 1n);

    const expired = subscribe(h.wsClient(), SUB, { after: firstEvent });
    const expiredFiltered = subscribe(h.wsClient(), SUB, { after: oldest, filter: { channelId: 'pbx1:kept' } });
    const atBoundary = subscribe(h.wsClient(), SUB, { after: boundary });
    const [resync] = await expired.waitForCount(1);
    const [resyncFiltered] = await expiredFiltered.waitForCount(1);
    await atBoundary.waitForCount(KEEP);

    // Live events after the subscriptions opened.
    const liveId = await inboundCallCycle(h.sims[0], 'PJSIP/carol');
    const after = await quiesce(h);
    expect(BigInt(after) > BigInt(end)).toBe(true);

    // The snapshot is what the backend has now; the notice carries the cursor live events continue after.
    const res = await fetch(`${h.sims[0].url}/channels`, { headers: AUTH });
    const simNow = ((await res.json()) as Array<{ id: string; state: string }>).map((c) => ({
      nativeId: c.id,
      rawState: c.state,
      backend: { name: 'pbx1' },
    }));
    const byId = (a: { nativeId: string }, b: { nativeId: string }) => a.nativeId.localeCompare(b.nativeId);
    expect(simNow.map((c) => c.nativeId).sort()).toEqual([held, 'kept', 'kept;2'].sort());
    for (const r of [resync, resyncFiltered]) {
      const e = r.data!.channelEvents;
      expect(e).toMatchObject({
        __typename: 'ResyncRequired',
        cursor: end,
        reconciled: false,
        channelId: null,
        backend: null,
        channel: null,
      });
      expect([...e.channels].sort(byId)).toEqual([...simNow].sort(byId));
    }
    expect(resync.data!.channelEvents.requestedAfter).toBe(firstEvent);
    expect(resyncFiltered.data!.channelEvents.requestedAfter).toBe(oldest);

    // After the notice: live only, nothing replayed, none twice.
    const live = (await journalSince(h, end)).map(fromJournal);
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((e) => e.channelId === `pbx1:${liveId}`)).toBe(true);
    const seenExpired = await seenThrough(expired, after);
    expect(seenExpired.slice(1)).toEqual(live);
    // The filtered stream matches nothing live (its channel stayed quiet): the notice alone.
    expect(expiredFiltered.items.map((i) => i.data!.channelEvents.__typename)).toEqual(['ResyncRequired']);

    // Not expired at the boundary: the whole retained history, then live.
    expect((await seenThrough(atBoundary, after)).map((e) => e)).toEqual([...retained.map(fromJournal), ...live]);
    expect(atBoundary.items.every((i) => i.data!.channelEvents.__typename !== 'ResyncRequired')).toBe(true);

    // Resuming from the notice's cursor continues without a gap.
    const resumed = subscribe(h.wsClient(), SUB, { after: resync.data!.channelEvents.cursor });
    expect(await seenThrough(resumed, after)).toEqual(live);
    // One before the boundary is gone already.
    const tooOld = subscribe(h.wsClient(), SUB, { after: String(BigInt(boundary) - 1n) });
    const [notice] = await tooOld.waitForCount(1);
    expect(notice.data!.channelEvents).toMatchObject({
      __typename: 'ResyncRequired',
      cursor: after,
      requestedAfter: String(BigInt(boundary) - 1n),
    });
    for (const s of [expired, expiredFiltered, atBoundary, resumed, tooOld]) s.dispose();
    await waitFor(() => h.gateway.events.dispatcher.listenerCount === 0, 'listeners released');
  });

  it("a cursor beyond the journal's end (never issued, e.g. after a data reset): one ResyncRequired, then live only; history says BAD_USER_INPUT", async () => {
    const end = await quiesce(h);
    const future = String(BigInt(end) + 1000n);
    const sub = subscribe(h.wsClient(), SUB, { after: future });
    const [notice] = await sub.waitForCount(1);
    expect(notice.data!.channelEvents).toMatchObject({
      __typename: 'ResyncRequired',
      cursor: end,
      requestedAfter: future,
    });

    const liveId = await inboundCallCycle(h.sims[0], 'PJSIP/carol');
    const after = await quiesce(h);
    const live = (await journalSince(h, end)).map(fromJournal);
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((e) => e.channelId === `pbx1:${liveId}`)).toBe(true);
    // Nothing older than the notice's cursor, none twice: exactly the live events.
    expect((await seenThrough(sub, after)).slice(1)).toEqual(live);
    sub.dispose();

    const page = await h.gql('query($a: String) { events(after: $a) { edges { cursor } } }', { a: future });
    expect(page.data).toBeNull();
    expect(page.errors!.map((e) => [e.extensions!.code, e.extensions!.argumentName])).toEqual([
      ['BAD_USER_INPUT', 'after'],
    ]);
    await waitFor(() => h.gateway.events.dispatcher.listenerCount === 0, 'listeners released');
  });
});
