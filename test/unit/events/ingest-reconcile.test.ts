/**
 * BackendIngest around a reconnect, with fakes for the backend, journal and database so the
 * timing is exact: events that arrive while the channel list is in flight are placed against
 * it, the lifecycle guard completes or drops what would break a channel's life, and a fenced
 * (refused) append stops ingest instead of retrying.
 */
import { AriEventSource } from '../../../src/backends/ari/event-source';
import { KazooEventSource } from '../../../src/backends/kazoo/event-source';
import type { AriMessage } from '../../../src/backends/ari/wire.generated';
import { mapChannel } from '../../../src/backends/ari/map';
import type { Backend } from '../../../src/backends/types';
import type { Channel } from '../../../src/domain/channel';
import type { NormalizedEvent } from '../../../src/domain/events';
import type { AvailabilityState, Recipient } from '../../../src/domain/recipient';
import { BackendIngest, type IngestDeps } from '../../../src/events/ingest';
import { encodeEvent } from '../../../src/events/journal/codec';
import { FencedAppendError } from '../../../src/events/journal/journal';

const TS = '2026-03-01T10:00:00.000+0000';

function wire(id: string, state: string, app = 'Stasis') {
  return {
    id,
    name: `PJSIP/${id}`,
    state,
    protocol_id: '',
    caller: { name: '', number: '100' },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: { context: 'from-internal', exten: '100', priority: 1, app_name: app, app_data: 'patchbay' },
    creationtime: TS,
    language: 'en',
  };
}

const msg = (type: string, id: string, state: string, extra: Record<string, unknown> = {}) =>
  ({ type, timestamp: TS, application: 'patchbay', channel: wire(id, state), ...extra }) as unknown as AriMessage;

interface Harness {
  ingest: BackendIngest;
  journaled: NormalizedEvent[];
  emit(m: AriMessage): void;
  connect(): void;
  /** Resolves the pending GET /channels with these channels. */
  list(channels: ReturnType<typeof wire>[]): void;
  appendMode: { fenced: boolean };
  /** Times the event source was asked to reconnect its socket. */
  reconnects: () => number;
}

/** Journal, database, dispatcher, bus and lease of one instance; the database knows `channelRows`. */
function fakeDeps(
  backend: string,
  channelRows: unknown[],
  journaled: NormalizedEvent[],
  appendMode = { fenced: false },
): IngestDeps {
  return {
    db: { query: async (sql: string) => (sql.includes("category = 'channel'") ? channelRows : []) },
    journal: {
      append: async (batch: NormalizedEvent[]) => {
        if (appendMode.fenced) throw new FencedAppendError({ backend, owner: 'me' });
        journaled.push(...batch);
        return batch.map((e, i) => ({ ...e, cursor: String(journaled.length - batch.length + i + 1) }));
      },
    },
    dispatcher: { offer: () => undefined },
    bus: { publish: async () => undefined },
    leases: { ownerId: 'me' },
  } as unknown as IngestDeps;
}

/** An ARI backend with the real event source (ARI mapping), its socket and REST replaced by hooks. */
function setup(journalSays: Channel[] = []): Harness {
  const events = new Set<(m: AriMessage) => void>();
  const conn = new Set<(up: boolean) => void>();
  let resolveList: ((c: Channel[]) => void) | null = null;
  let reconnects = 0;
  const socket = {
    onEvent: (l: (m: AriMessage) => void) => (events.add(l), () => events.delete(l)),
    onConnectionChange: (l: (up: boolean) => void) => (conn.add(l), () => conn.delete(l)),
    reconnect: () => void (reconnects += 1),
  };
  const backend = {
    name: 'pbx1',
    kind: 'ari',
    eventSource: new AriEventSource({ backend: 'pbx1', socket, subscribeAll: async () => undefined }),
    start: async () => undefined,
    health: () => ({ connected: true, lastEventAt: null, lastConnectedAt: null, reconnects: 0, lastError: null }),
    listChannels: () => new Promise<Channel[]>((r) => (resolveList = r)),
  } as unknown as Backend;
  const journaled: NormalizedEvent[] = [];
  const appendMode = { fenced: false };
  const rows = journalSays.map((c, i) => ({
    channel_id: c.nativeId,
    type: 'ChannelCreated',
    payload: encodeEvent({
      backend: 'pbx1',
      backendKind: 'ari',
      occurredAt: c.createdAt,
      receivedAt: c.createdAt,
      reconciled: false,
      ids: { channelId: c.nativeId },
      raw: { i },
      category: 'channel',
      channel: c,
      type: 'ChannelCreated',
    }),
  }));
  const deps = fakeDeps('pbx1', rows, journaled, appendMode);
  const ingest = new BackendIngest(backend, deps);
  return {
    ingest,
    journaled,
    appendMode,
    reconnects: () => reconnects,
    emit: (m) => events.forEach((l) => l(m)),
    connect: () => conn.forEach((l) => l(true)),
    list: (channels) => resolveList!(channels.map((c) => mapChannel('pbx1', c))),
  };
}

const tick = () => new Promise((r) => setImmediate(r));
const summary = (events: NormalizedEvent[]) =>
  events.map((e) => `${e.type}:${e.ids.channelId}${e.reconciled ? '(r)' : ''}`);

async function reconnectWith(h: Harness, during: AriMessage[], listed: ReturnType<typeof wire>[]): Promise<void> {
  await h.ingest.setLeader(true);
  h.connect();
  await tick();
  for (const m of during) h.emit(m);
  h.list(listed);
  await tick();
  await h.ingest.flush();
}

describe('BackendIngest: events held during a reconcile', () => {
  it('a known channel that ends while the list is in flight is destroyed once, by its live events', async () => {
    const h = setup([mapChannel('pbx1', wire('a', 'Up'))]);
    await reconnectWith(
      h,
      [
        msg('ChannelHangupRequest', 'a', 'Up', { cause: 16 }),
        msg('ChannelDestroyed', 'a', 'Up', { cause: 16, cause_txt: 'Normal Clearing' }),
      ],
      [],
    );
    expect(summary(h.journaled)).toEqual(['HangupRequested:a', 'ChannelDestroyed:a']);
    expect(h.journaled[1]).toMatchObject({ causeCode: 16, reconciled: false });
  });

  it('a channel created while the list is in flight and listed is created once, live, with its transitions', async () => {
    const h = setup();
    const during = [
      msg('ChannelCreated', 'b', 'Ring'),
      msg('ChannelStateChange', 'b', 'Up'),
      msg('ChannelVarset', 'b', 'Up', { variable: 'X', value: '1' }),
    ];
    await reconnectWith(h, during, [wire('b', 'Up'), wire('b', 'Ring')]);
    expect(summary(h.journaled)).toEqual([
      'ChannelCreated:b',
      'ChannelStateChanged:b',
      'ChannelAnswered:b',
      'VariableSet:b',
    ]);
  });

  it('a channel created after the list was taken comes after the diff, and nothing is destroyed for it', async () => {
    const h = setup([mapChannel('pbx1', wire('old', 'Up'))]);
    await reconnectWith(h, [msg('ChannelCreated', 'new', 'Ring')], []);
    expect(summary(h.journaled)).toEqual(['ChannelDestroyed:old(r)', 'ChannelCreated:new']);
  });

  it('a live event of a channel the journal never created gets a synthesised Created first; a late Destroyed after a reconciled one is dropped', async () => {
    const h = setup([mapChannel('pbx1', wire('gone', 'Up'))]);
    await reconnectWith(h, [], []);
    h.emit(msg('ChannelVarset', 'stranger', 'Up', { variable: 'X', value: '1' }));
    h.emit(msg('ChannelDestroyed', 'gone', 'Up', { cause: 16 }));
    await h.ingest.flush();
    expect(summary(h.journaled)).toEqual([
      'ChannelDestroyed:gone(r)',
      'ChannelCreated:stranger(r)',
      'VariableSet:stranger',
    ]);
  });

  it('a fenced append is not retried: ingest stops leading and drops what it held', async () => {
    const h = setup();
    await reconnectWith(h, [], []);
    h.appendMode.fenced = true;
    h.emit(msg('ChannelCreated', 'c', 'Ring'));
    await h.ingest.flush();
    expect(h.ingest.status.leader).toBe(false);
    h.appendMode.fenced = false;
    h.emit(msg('ChannelStateChange', 'c', 'Up'));
    await h.ingest.flush();
    expect(h.journaled).toEqual([]);
  });

  it('a regained lease reconnects the ARI socket, and the reconcile runs on the connect that follows', async () => {
    const h = setup();
    await reconnectWith(h, [], []);
    await h.ingest.setLeader(false);
    await h.ingest.setLeader(true);
    expect([h.reconnects(), h.ingest.status.reconciliations]).toEqual([1, 1]);
    h.connect();
    await tick();
    h.list([wire('x', 'Up')]);
    await tick();
    await h.ingest.flush();
    expect(h.ingest.status.reconciliations).toBe(2);
    expect(summary(h.journaled)).toEqual(['ChannelCreated:x(r)']);
  });
});

describe('BackendIngest: agents on reconcile (KAZOO event source)', () => {
  const recipient = (state: AvailabilityState): Recipient => ({
    backend: 'kz1',
    accountId: 'acc',
    nativeId: 'r1',
    name: 'Olivia',
    config: null,
    status: { availabilityState: state } as Recipient['status'],
  });

  it('journals the agent diff after the channel diff, and the next reconcile diffs against what this one found', async () => {
    const conn = new Set<(up: boolean) => void>();
    let listed = [recipient('READY')];
    const eventSource = new KazooEventSource({
      name: 'kz1',
      accountId: 'acc',
      onEvent: () => () => undefined,
      onConnectionChange: (l) => (conn.add(l), () => conn.delete(l)),
      listRecipients: async () => listed,
    });
    const healthy = { connected: true, lastEventAt: null, lastConnectedAt: null, reconnects: 0, lastError: null };
    // Ingest never looks at what shape a listed channel has, so an ARI-mapped one serves here.
    const channel = mapChannel('kz1', wire('call-1', 'Up'));
    const backend = {
      name: 'kz1',
      kind: 'kazoo',
      eventSource,
      start: async () => undefined,
      health: () => healthy,
      listChannels: async () => [channel],
    } as unknown as Backend;
    const journaled: NormalizedEvent[] = [];
    const ingest = new BackendIngest(backend, fakeDeps('kz1', [], journaled));
    await ingest.setLeader(true);
    const reconnect = async () => {
      conn.forEach((l) => l(true));
      await tick();
      await ingest.flush();
    };
    await reconnect();
    listed = [recipient('AWAY')];
    await reconnect();
    const agentSummary = journaled.map((e) =>
      e.category === 'agent' ? `${e.action}:${e.availabilityState}` : `${e.type}:${e.ids.channelId}`,
    );
    expect(agentSummary).toEqual(['ChannelCreated:call-1', 'LOGIN:READY', 'READY:READY', 'AWAY:AWAY']);
  });
});
