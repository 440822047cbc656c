/**
 * Identical live subscriptions share one execution per event, and each event goes out as one
 * prepared frame per socket: every subscriber still gets a protocol-exact `next` under its own
 * operation id, completing one leaves the others alone, keys do not share streams, and at
 * shutdown each open subscription gets `complete` before its socket closes with 1001.
 */
import WebSocket from 'ws';
import { startHarness, waitFor, type Harness } from '../../helpers/gateway-harness';

const WATCH =
  'subscription Watch { channelEvents(filter: { types: [CHANNEL_CREATED, CHANNEL_DESTROYED] }) { __typename cursor channelId } }';

interface Frame {
  type: string;
  id?: string;
  payload?: any;
}

/** A raw graphql-transport-ws socket subscribing `ids` to WATCH once acknowledged. */
function rawSocket(url: string, key: string, ids: string[]) {
  const frames: Frame[] = [];
  const raw: string[] = [];
  let closeCode: number | null = null;
  const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  ws.on('open', () =>
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })),
  );
  ws.on('message', (data) => {
    raw.push(String(data));
    const msg = JSON.parse(String(data)) as Frame;
    frames.push(msg);
    if (msg.type === 'connection_ack')
      for (const id of ids)
        ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: WATCH, operationName: 'Watch' } }));
  });
  ws.on('close', (code) => {
    closeCode = code;
  });
  return {
    frames,
    raw,
    next: (id: string) => frames.filter((f) => f.type === 'next' && f.id === id),
    send: (m: unknown) => ws.send(JSON.stringify(m)),
    get closeCode() {
      return closeCode;
    },
  };
}

describe('shared subscription fan-out over graphql-ws', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 30_000);
  afterAll(() => h?.close());

  it('one event, one exact `next` per subscriber and operation id; complete and close at shutdown', async () => {
    const viewer = await h.keyFor('VIEWER', { all: true });
    const s1 = rawSocket(h.gateway.url, h.adminKey, ['a', 'b']);
    const s2 = rawSocket(h.gateway.url, h.adminKey, ['x']);
    const s3 = rawSocket(h.gateway.url, viewer, ['v']);
    await waitFor(async () => {
      const r = await h.gql<{ gatewaySessions: Array<{ subscriptions: unknown[] }> }>(
        '{ gatewaySessions { subscriptions { id } } }',
      );
      return r.data?.gatewaySessions.reduce((n, s) => n + s.subscriptions.length, 0) === 4;
    }, 'four subscriptions registered');

    const made = await h.gql<{ originate: { channel: { id: string } } }>(
      'mutation { originate(input: { backend: "pbx1", endpoint: "PJSIP/alice", app: "patchbay" }) { channel { id } } }',
    );
    const channelId = made.data!.originate.channel.id;
    await waitFor(
      () => [s1.next('a'), s1.next('b'), s2.next('x'), s3.next('v')].every((l) => l.length === 1),
      'ChannelCreated for every subscriber',
    );
    const payload = s1.next('a')[0].payload;
    expect(payload.data.channelEvents).toMatchObject({ __typename: 'ChannelCreated', channelId });
    for (const [s, id] of [
      [s1, 'b'],
      [s2, 'x'],
      [s3, 'v'],
    ] as const)
      expect(s.next(id)[0].payload).toEqual(payload);
    // Byte for byte what graphql-ws sends: {"id":...,"type":"next","payload":...}.
    expect(s2.raw.find((t) => t.includes('"type":"next"'))).toBe(JSON.stringify({ id: 'x', type: 'next', payload }));

    // The client completes `a`: no more events for it, the others go on.
    s1.send({ id: 'a', type: 'complete' });
    await waitFor(async () => {
      const r = await h.gql<{ gatewaySessions: Array<{ subscriptions: unknown[] }> }>(
        '{ gatewaySessions { subscriptions { id } } }',
      );
      return r.data?.gatewaySessions.reduce((n, s) => n + s.subscriptions.length, 0) === 3;
    }, '`a` completed');
    await h.gql('mutation($id: ID!) { hangupChannel(input: { id: $id }) { hungUpChannelId } }', { id: channelId });
    await waitFor(
      () => [s1.next('b'), s2.next('x'), s3.next('v')].every((l) => l.length === 2),
      'ChannelDestroyed for the others',
    );
    expect(s1.next('a')).toHaveLength(1);
    expect(s1.next('b')[1].payload.data.channelEvents).toMatchObject({ __typename: 'ChannelDestroyed', channelId });

    await h.gateway.stop();
    await waitFor(() => [s1, s2, s3].every((s) => s.closeCode !== null), 'sockets closed');
    for (const [s, ids] of [
      [s1, ['b']],
      [s2, ['x']],
      [s3, ['v']],
    ] as const) {
      expect(s.closeCode).toBe(1001);
      expect(s.frames.filter((f) => f.type === 'complete').map((f) => f.id)).toEqual(ids);
    }
    expect(s1.frames.filter((f) => f.type === 'error')).toEqual([]);
  });
});
