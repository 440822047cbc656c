/**
 * Resumable subscriptions: `after` gives history then live with no gap or duplicate at the seam,
 * a dropped client resumes with exactly what it missed, `events` pages the same sequence, filters
 * apply to replay and live alike, bad cursors are BAD_USER_INPUT, actionCursor closes the
 * originate race, and gatewaySessions shows the open graphql-ws connections.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startHarness, subscribe, waitFor, type GraphQLResponse, type Harness } from '../../helpers/gateway-harness';
import { originate } from '../../helpers/channels';
import {
  CHANNEL_EVENT_FIELDS,
  driveContinuously,
  fromJournal,
  fromPayload,
  inboundCallCycle,
  journalSince,
  latestCursor,
  quiesce,
  seenThrough,
  strictlyIncreasing,
  waitForLiveView,
} from './event-helpers';

const SUB = `subscription($after: String, $filter: ChannelEventFilter) { channelEvents(after: $after, filter: $filter) { ${CHANNEL_EVENT_FIELDS} } }`;

describe('resumable event subscriptions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simulators: 2 });
    await waitForLiveView(h, 'pbx1');
    await waitForLiveView(h, 'pbx2');
  });
  afterAll(() => h?.close());

  it('resubscribing with `after` while events keep coming gives history then live, no gap and no duplicate at the seam', async () => {
    await quiesce(h);
    const start = await latestCursor(h);
    const driver = driveContinuously(async (i) => {
      await inboundCallCycle(h.sims[i % 2], i % 3 === 0 ? 'PJSIP/bob' : 'PJSIP/alice');
    });
    const subs: Array<ReturnType<typeof subscribe>> = [];
    // Each subscription opens at a different moment of the stream, so each has its own seam.
    for (let k = 0; k < 5; k++) {
      await waitFor(
        async () => BigInt(await latestCursor(h)) >= BigInt(start) + BigInt(6 * (k + 1)),
        'more events journaled',
      );
      subs.push(subscribe(h.wsClient(), SUB, { after: start }));
    }
    await waitFor(
      async () => BigInt(await latestCursor(h)) >= BigInt(start) + 60n,
      'events after the last resubscribe',
    );
    const cycles = await driver.stop();
    expect(cycles).toBeGreaterThan(3);
    const end = await quiesce(h);

    const expected = (await journalSince(h, start)).map(fromJournal);
    expect(expected.length).toBeGreaterThan(60);
    expect(expected[expected.length - 1].cursor).toBe(end);
    for (const sub of subs) {
      const seen = await seenThrough(sub, end);
      expect(seen).toEqual(expected);
      sub.dispose();
    }
  });

  it('a client dropped mid-stream that resumes with its last cursor gets exactly what it missed', async () => {
    await quiesce(h);
    const client = h.wsClient();
    const live = subscribe(client, SUB, { filter: { backend: 'pbx1' } });
    // Live-only: wait until the server has registered the subscription before driving events.
    await waitFor(() => h.gateway.events.dispatcher.listenerCount > 0, 'live listener registered');
    const from = await latestCursor(h);
    const driver = driveContinuously(async () => {
      await inboundCallCycle(h.sims[0]);
    });
    await live.waitForCount(10);
    await client.dispose();
    const received = live.items.map((i) => fromPayload(i));
    const last = received[received.length - 1].cursor;
    // Events keep coming while the client is away.
    await waitFor(async () => BigInt(await latestCursor(h)) >= BigInt(last) + 20n, 'events while the client is away');

    const resumed = subscribe(h.wsClient(), SUB, { after: last, filter: { backend: 'pbx1' } });
    await resumed.waitForCount(5);
    await driver.stop();
    const end = await quiesce(h);
    const afterResume = await seenThrough(resumed, end);

    const journal = (await journalSince(h, from, { categories: ['channel'], backends: ['pbx1'] })).map(fromJournal);
    expect(received).toEqual(journal.slice(0, received.length));
    expect(afterResume).toEqual(journal.slice(received.length));
    expect([...received, ...afterResume]).toEqual(journal);
    resumed.dispose();
  });

  it('the events query pages the same sequence (edges, pageInfo, endCursor) as the journal', async () => {
    const end = await quiesce(h);
    const start = String(BigInt(end) - 45n);
    const expected = (await journalSince(h, start, {})).map(fromJournal);
    expect(expected.length).toBe(45);

    const paged: Array<{ type: string; cursor: string; channelId: string | null; reconciled: boolean }> = [];
    let after: string | null = start;
    let pages = 0;
    for (;;) {
      const r: GraphQLResponse = await h.gql(
        `query($after: String) { events(after: $after, first: 7) { edges { cursor node { __typename cursor reconciled ... on ChannelEvent { channelId } } } pageInfo { endCursor hasNextPage } } }`,
        { after },
      );
      expect(r.errors).toBeUndefined();
      const conn: {
        edges: Array<{ cursor: string; node: any }>;
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      } = r.data!.events;
      pages++;
      for (const e of conn.edges) {
        expect(e.cursor).toBe(e.node.cursor);
        paged.push({
          type: e.node.__typename,
          cursor: e.node.cursor,
          channelId: e.node.channelId ?? null,
          reconciled: e.node.reconciled,
        });
      }
      expect(conn.pageInfo.endCursor).toBe(conn.edges.length ? conn.edges[conn.edges.length - 1].cursor : after);
      if (!conn.pageInfo.hasNextPage) {
        expect(conn.edges.length).toBe(45 % 7);
        break;
      }
      expect(conn.edges.length).toBe(7);
      after = conn.pageInfo.endCursor;
    }
    expect(pages).toBe(7);
    expect(paged).toEqual(expected);

    // Past the end: no edges, endCursor stays the cursor passed in.
    const tail = await h.gql(
      'query($after: String) { events(after: $after, first: 5) { edges { cursor } pageInfo { endCursor hasNextPage } } }',
      { after: end },
    );
    expect(tail.data!.events).toEqual({ edges: [], pageInfo: { endCursor: end, hasNextPage: false } });
    // Exactly one page left: hasNextPage is false on it.
    const last3 = String(BigInt(end) - 3n);
    const exact = await h.gql(
      'query($after: String) { events(after: $after, first: 3) { edges { cursor } pageInfo { endCursor hasNextPage } } }',
      { after: last3 },
    );
    expect(exact.data!.events.pageInfo).toEqual({ endCursor: end, hasNextPage: false });
    expect(exact.data!.events.edges.map((e: any) => e.cursor)).toEqual(expected.slice(-3).map((e) => e.cursor));
  });

  it('filters (backend, channelId, types) apply to replay and to live alike', async () => {
    const start = await quiesce(h);
    // A channel on pbx2 whose creation is history and whose destruction comes live.
    const ch = await originate(h, {
      backend: 'pbx2',
      endpoint: 'Local/wait@ari-test',
      extension: 'wait',
      context: 'ari-test',
      priority: 1,
    });
    await waitFor(
      async () =>
        (
          await journalSince(h, start, {
            categories: ['channel'],
            backends: ['pbx2'],
            channelId: ch.nativeId,
            types: ['ChannelAnswered'],
          })
        ).length > 0,
      'pbx2 channel answered',
    );
    // Noise on pbx1 on both sides of the seam.
    await inboundCallCycle(h.sims[0]);
    await quiesce(h);

    const byChannel = subscribe(h.wsClient(), SUB, {
      after: start,
      filter: { channelId: ch.id, types: ['CHANNEL_CREATED', 'CHANNEL_ANSWERED', 'CHANNEL_DESTROYED'] },
    });
    const byBackend = subscribe(h.wsClient(), SUB, { after: start, filter: { backend: 'pbx2' } });
    const byType = subscribe(h.wsClient(), SUB, { after: start, filter: { types: ['CHANNEL_DESTROYED'] } });
    await byChannel.waitForCount(2);

    await inboundCallCycle(h.sims[0]);
    const r = await h.gql(
      'mutation($input: HangupChannelInput!) { hangupChannel(input: $input) { hungUpChannelId } }',
      { input: { id: ch.id } },
    );
    expect(r.errors).toBeUndefined();
    const end = await quiesce(h);

    const all = await journalSince(h, start);
    const expectChannel = all
      .filter(
        (e) =>
          e.backend === 'pbx2' &&
          e.ids.channelId === ch.nativeId &&
          ['ChannelCreated', 'ChannelAnswered', 'ChannelDestroyed'].includes(e.type),
      )
      .map(fromJournal);
    expect(expectChannel.map((e) => e.type)).toEqual(['ChannelCreated', 'ChannelAnswered', 'ChannelDestroyed']);
    const expectBackend = all.filter((e) => e.backend === 'pbx2').map(fromJournal);
    const expectType = all.filter((e) => e.type === 'ChannelDestroyed').map(fromJournal);
    // pbx1 destroyed channels on both sides of the seam, and pbx2's Local pair.
    expect(expectType.filter((e) => e.channelId!.startsWith('pbx1:')).length).toBeGreaterThanOrEqual(2);

    const lastOf = (xs: Array<{ cursor: string }>) => xs[xs.length - 1].cursor;
    expect(await seenThrough(byChannel, lastOf(expectChannel))).toEqual(expectChannel);
    expect(await seenThrough(byBackend, lastOf(expectBackend))).toEqual(expectBackend);
    expect(await seenThrough(byType, lastOf(expectType))).toEqual(expectType);
    expect(BigInt(lastOf(expectType)) <= BigInt(end)).toBe(true);

    // The events query applies the same filters to history.
    const q = await h.gql(
      'query($after: String, $filter: EventFilter) { events(after: $after, filter: $filter, first: 500) { edges { node { __typename cursor } } } }',
      {
        after: start,
        filter: { channelId: ch.id, types: ['CHANNEL_CREATED', 'CHANNEL_ANSWERED', 'CHANNEL_DESTROYED'] },
      },
    );
    expect(q.data!.events.edges.map((e: any) => [e.node.__typename, e.node.cursor])).toEqual(
      expectChannel.map((e) => [e.type, e.cursor]),
    );
    const qb = await h.gql(
      'query($after: String) { events(after: $after, filter: { backend: "pbx2" }, first: 500) { edges { cursor } } }',
      { after: start },
    );
    expect(qb.data!.events.edges.map((e: any) => e.cursor)).toEqual(expectBackend.map((e) => e.cursor));
    for (const s of [byChannel, byBackend, byType]) s.dispose();
  });

  it('bad cursors and bad filters are BAD_USER_INPUT, for the events query and for subscriptions', async () => {
    for (const after of ['abc', '-1', '1.5', '', '07', '99999999999999999999', '9223372036854775808']) {
      const r = await h.gql('query($after: String) { events(after: $after) { edges { cursor } } }', { after });
      expect({ after, code: r.errors?.[0]?.extensions?.code, data: r.data }).toEqual({
        after,
        code: 'BAD_USER_INPUT',
        data: null,
      });
    }
    for (const first of [0, -1, 501]) {
      const r = await h.gql('query($first: Int!) { events(first: $first) { edges { cursor } } }', { first });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const unknownBackend = await h.gql('{ events(filter: { backend: "nope" }) { edges { cursor } } }');
    expect(unknownBackend.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badChannel = await h.gql('{ events(filter: { channelId: "no-colon" }) { edges { cursor } } }');
    expect(badChannel.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Event types are one enum for history and subscriptions: an unknown name is refused, never "nothing matched".
    const unknownType = await h.gql('query($f: EventFilter) { events(filter: $f) { edges { cursor } } }', {
      f: { types: ['ChannelDestroyed'] },
    });
    expect(unknownType.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);

    const client = h.wsClient();
    for (const variables of [
      { after: 'abc' },
      { after: '-5' },
      { after: '007' },
      { after: '9223372036854775808' },
      { after: '1', filter: { backend: 'nope' } },
      { filter: { types: ['AGENT_STATE_CHANGED'] } },
    ]) {
      const sub = subscribe(client, SUB, variables);
      // graphql-ws answers a subscribe-time failure with one `next` carrying the errors, then `complete`.
      await waitFor(
        () => sub.completed || sub.failure !== undefined,
        `subscription ${JSON.stringify(variables)} answered`,
      );
      expect(sub.failure).toBeUndefined();
      expect(sub.items).toHaveLength(1);
      expect(sub.items[0].data ?? null).toBeNull();
      const errors = sub.items[0].errors as Array<{ extensions?: { code?: string } }>;
      expect({ variables, codes: errors.map((e) => e.extensions?.code) }).toEqual({
        variables,
        codes: ['BAD_USER_INPUT'],
      });
    }
    // A well-formed id on a backend nobody has is answered like a missing channel (nothing matches),
    // never with an error naming backends: the same answer a scoped key gets for another tenant's id.
    const unknownChannel = await h.gql('{ events(filter: { channelId: "nope:1" }) { edges { cursor } } }');
    expect(unknownChannel).toMatchObject({ status: 200, data: { events: { edges: [] } } });
    expect(unknownChannel.errors).toBeUndefined();
  });

  it("a client that subscribes after originate returned, with the actionCursor of the originate payload, sees the channel's first event", async () => {
    await quiesce(h);
    const ch = await originate(h, { backend: 'pbx1', endpoint: 'PJSIP/carol', app: 'patchbay' });
    expect(ch.actionCursor).toMatch(/^\d+$/);
    // Let the channel's first events be journaled and delivered before anyone subscribes.
    await waitFor(
      async () =>
        (
          await journalSince(h, ch.actionCursor, {
            categories: ['channel'],
            channelId: ch.nativeId,
            backends: ['pbx1'],
            types: ['ChannelAnswered'],
          })
        ).length > 0,
      'channel answered',
    );
    const sub = subscribe(h.wsClient(), SUB, { after: ch.actionCursor, filter: { channelId: ch.id } });
    await h.gql('mutation($input: HangupChannelInput!) { hangupChannel(input: $input) { hungUpChannelId } }', {
      input: { id: ch.id },
    });
    const end = await quiesce(h);
    const expected = (
      await journalSince(h, ch.actionCursor, { categories: ['channel'], backends: ['pbx1'], channelId: ch.nativeId })
    ).map(fromJournal);
    expect(expected[0].type).toBe('ChannelCreated');
    expect(expected[expected.length - 1].type).toBe('ChannelDestroyed');
    // Nothing of this channel was journaled at or before the cursor handed out.
    const before = await h.gateway.events.journal.read(null, {
      limit: 500,
      filter: { channelId: ch.nativeId, backends: ['pbx1'] },
      upTo: ch.actionCursor,
    });
    expect(before).toEqual([]);
    const seen = await seenThrough(sub, expected[expected.length - 1].cursor);
    expect(seen).toEqual(expected);
    expect(BigInt(seen[0].cursor) > BigInt(ch.actionCursor)).toBe(true);
    expect(strictlyIncreasing(seen.map((e) => e.cursor))).toBe(true);
    expect(BigInt(end) >= BigInt(seen[seen.length - 1].cursor)).toBe(true);
    sub.dispose();
  });

  it('gatewaySessions lists open graphql-ws connections with their subscriptions, connectedAt and remoteAddress', async () => {
    const url = h.gateway.url.replace(/^http/, 'ws');
    let n = 0;
    const mk = (tag: string) =>
      createClient({
        url,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        generateID: () => `${tag}-${++n}`,
        connectionParams: { authorization: `Bearer ${h.adminKey}` },
      });
    const before = new Date();
    const a = mk('a');
    const b = mk('b');
    try {
      const named = 'subscription Watch { channelEvents { cursor } }';
      const s1 = {
        dispose: a.subscribe(
          { query: named, operationName: 'Watch' },
          { next: () => undefined, error: () => undefined, complete: () => undefined },
        ),
      };
      const s2 = subscribe(a, 'subscription { agentEvents { cursor } }');
      const s3 = subscribe(b, 'subscription($f: ChannelEventFilter) { channelEvents(filter: $f) { cursor } }', {
        f: { backend: 'pbx2' },
      });
      const sessions = async () =>
        (
          await h.gql(
            '{ gatewaySessions { id instanceId connectedAt remoteAddress userAgent subscriptions { id operationName query startedAt } } }',
          )
        ).data!.gatewaySessions as any[];
      const listed = await waitFor(async () => {
        const s = await sessions();
        return s.length === 2 && s.reduce((k, x) => k + x.subscriptions.length, 0) === 3 ? s : null;
      }, 'two sessions, three subscriptions');
      const after = new Date();
      const bySub = (prefix: string) => listed.find((s) => s.subscriptions.some((x: any) => x.id.startsWith(prefix)));
      const sa = bySub('a-');
      const sb = bySub('b-');
      expect(sa.id).not.toBe(sb.id);
      for (const s of [sa, sb]) {
        expect(s.instanceId).toBe(h.gateway.events.instanceId);
        expect(s.remoteAddress).toBe('127.0.0.1');
        const at = new Date(s.connectedAt).getTime();
        expect(at).toBeGreaterThanOrEqual(before.getTime() - 1);
        expect(at).toBeLessThanOrEqual(after.getTime() + 1);
        for (const x of s.subscriptions) expect(new Date(x.startedAt).getTime()).toBeGreaterThanOrEqual(at);
      }
      expect(sa.subscriptions.map((x: any) => [x.id, x.operationName, x.query]).sort()).toEqual(
        [
          ['a-1', 'Watch', named],
          ['a-2', null, 'subscription { agentEvents { cursor } }'],
        ].sort(),
      );
      expect(sb.subscriptions).toEqual([expect.objectContaining({ id: 'b-3', operationName: null })]);

      // Completing one subscription removes it; closing a connection removes its session.
      s1.dispose();
      await waitFor(
        async () => (await sessions()).find((s) => s.id === sa.id)?.subscriptions.length === 1,
        'subscription a-1 gone',
      );
      expect((await sessions()).find((s) => s.id === sa.id)!.subscriptions.map((x: any) => x.id)).toEqual(['a-2']);
      await b.dispose();
      await waitFor(async () => (await sessions()).every((s) => s.id !== sb.id), 'session b closed');
      expect((await sessions()).map((s) => s.id)).toEqual([sa.id]);
      s2.dispose();
      s3.dispose();
    } finally {
      await a.dispose();
      await b.dispose();
    }
    await waitFor(
      async () => (await h.gql('{ gatewaySessions { id } }')).data!.gatewaySessions.length === 0,
      'no sessions left',
    );
  });
});
