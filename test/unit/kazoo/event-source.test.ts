/**
 * KazooEventSource: Blackhole events as ingest sees them (placement from their own channel
 * event, never a refresh) and the Qubicle agent diff of a reconcile, over fake backend hooks.
 */
import { KazooEventSource } from '../../../src/backends/kazoo/event-source';
import type { KazooEvent } from '../../../src/backends/kazoo/operations';
import type { BackendEvent } from '../../../src/backends/types';
import type { Recipient } from '../../../src/domain/recipient';
import { recipientKey } from '../../../src/domain/recipient-key';
import {
  ACCOUNT,
  A_LEG,
  BACKEND,
  OLIVIA,
  T0,
  aLeg,
  callFrame,
  recipient,
  recipientFrame,
} from './fixtures/kazoo-frames';

function setup(recipients: Recipient[] = []) {
  const listeners = new Set<(e: KazooEvent) => void>();
  const listed: string[] = [];
  const source = new KazooEventSource({
    name: BACKEND,
    accountId: ACCOUNT,
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
    onConnectionChange: () => () => undefined,
    listRecipients: async (accountId) => (listed.push(accountId), recipients),
  });
  const got: BackendEvent[] = [];
  source.onEvent((e) => got.push(e));
  return { source, got, listed, emit: (e: KazooEvent) => listeners.forEach((l) => l(e)) };
}

const olivia = (state: 'READY' | 'AWAY' | null): Recipient => ({
  backend: BACKEND,
  accountId: ACCOUNT,
  nativeId: OLIVIA,
  name: 'Olivia',
  config: null,
  status: state && ({ availabilityState: state } as Recipient['status']),
});

describe('KazooEventSource events', () => {
  it('a call event: placed by the channel it creates, never a refresh', () => {
    const { got, emit } = setup();
    emit(callFrame(aLeg(), 'CHANNEL_CREATE', T0));
    const [e] = got;
    expect([e.channelId, e.snapshot?.nativeId, e.destroys, e.refresh]).toEqual([A_LEG, A_LEG, false, null]);
    expect(e.toDomain(() => undefined).map((d) => d.type)).toEqual(['ChannelCreated']);
  });

  it('CHANNEL_DESTROY ends its channel', () => {
    const { got, emit } = setup();
    emit(
      callFrame(
        Object.assign(aLeg(), { endedMs: T0 + 9000, hangupCause: 'NORMAL_CLEARING', callState: 'HANGUP' }),
        'CHANNEL_DESTROY',
        T0 + 9000,
      ),
    );
    expect([got[0].channelId, got[0].destroys]).toEqual([A_LEG, true]);
  });

  it('an agent event is about no channel', () => {
    const { got, emit } = setup();
    emit(recipientFrame(recipient(OLIVIA, 'Ready'), 'ready', T0));
    expect([got[0].channelId, got[0].snapshot, got[0].destroys]).toEqual([undefined, null, false]);
    expect(got[0].toDomain(() => undefined)).toMatchObject([{ category: 'agent', action: 'READY' }]);
  });
});

describe('KazooEventSource reconcile hooks', () => {
  it('keeps its socket on reclaim and needs nothing before the list', async () => {
    const { source } = setup();
    await expect(source.prepareReconcile()).resolves.toBeUndefined();
    expect(source.reclaim()).toBe('kept');
  });

  it('diffs the configured account recipients with what was known, logged-out ones as NOT_LOGGED_IN', async () => {
    const { source, listed } = setup([olivia('AWAY')]);
    const now = new Date(T0);
    const known = new Map([[recipientKey(ACCOUNT, OLIVIA), 'READY' as const]]);
    const r = await source.reconcileAgents(known, now, { requestId: 'reconcile-kz1' });
    expect(listed).toEqual([ACCOUNT]);
    expect(r.events).toMatchObject([
      { action: 'AWAY', reconciled: true, ids: { recipientId: OLIVIA, accountId: ACCOUNT } },
    ]);
    expect([...r.states]).toEqual([[recipientKey(ACCOUNT, OLIVIA), 'AWAY']]);
    const out = await setup([olivia(null)]).source.reconcileAgents(r.states, now, {});
    expect(out.events).toMatchObject([{ action: 'LOGOUT', availabilityState: 'NOT_LOGGED_IN' }]);
  });
});
