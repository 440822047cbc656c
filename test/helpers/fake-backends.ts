/**
 * In-memory fakes of the backend interfaces (AriBackendLike in src/backends/types.ts,
 * KazooBackendLike in src/backends/kazoo/operations.ts) for resolver tests without sockets.
 *
 * Each fake keeps a channel table and records every call it receives (operation and
 * arguments, CallContext left out). An operation set with `failNext` throws that error once.
 * Operations without a behaviour of their own are recorded and resolve to undefined: a test
 * that needs a result from one gives it a behaviour here instead of stubbing it locally.
 */
import type { KazooBackendLike } from '../../src/backends/kazoo/operations';
import type { AriBackendLike, BackendHealth, CallContext, OriginateParams } from '../../src/backends/types';
import type { BackendKind, Channel } from '../../src/domain/channel';

export interface RecordedCall {
  op: string;
  args: unknown[];
}

export interface FakeControls {
  readonly calls: RecordedCall[];
  readonly channels: Map<string, Channel>;
  /** The next call of `op` throws `error` (then the operation behaves again). */
  failNext(op: string, error: Error): void;
}

export type FakeAriBackend = AriBackendLike & FakeControls;
export type FakeKazooBackend = KazooBackendLike & FakeControls;

const HEALTHY: BackendHealth = {
  connected: true,
  lastEventAt: null,
  lastConnectedAt: null,
  reconnects: 0,
  lastError: null,
};

/** A channel as a backend's mapping would produce it; override what the test is about. */
export function fakeChannel(
  backend: string,
  backendKind: BackendKind,
  nativeId: string,
  overrides: Partial<Channel> = {},
): Channel {
  return {
    backend,
    backendKind,
    nativeId,
    name: `PJSIP/${nativeId}`,
    state: 'UP',
    rawState: 'Up',
    caller: { name: '', number: '' },
    connected: { name: '', number: '' },
    accountCode: '',
    dialplan: null,
    createdAt: new Date('2026-12-07T12:00:00.000Z'),
    language: 'en',
    protocolId: null,
    variables: {},
    ...overrides,
  };
}

class FakeState implements FakeControls {
  readonly calls: RecordedCall[] = [];
  readonly channels = new Map<string, Channel>();
  private readonly failures = new Map<string, Error>();

  constructor(
    readonly name: string,
    readonly kind: BackendKind,
  ) {}

  failNext(op: string, error: Error): void {
    this.failures.set(op, error);
  }

  /** Records a call (without its CallContext) and throws a pending failure for it. */
  record(op: string, args: unknown[]): void {
    this.calls.push({ op, args: args.filter((a) => !isCallContext(a)) });
    const failure = this.failures.get(op);
    if (failure) {
      this.failures.delete(op);
      throw failure;
    }
  }
}

function isCallContext(a: unknown): a is CallContext {
  return typeof a === 'object' && a !== null && Object.keys(a).every((k) => k === 'requestId');
}

/** Behaviours shared by both kinds: lifecycle, health and the channel table. */
function commonBehaviours(state: FakeState): Record<string, (...args: any[]) => unknown> {
  return {
    start: async () => undefined,
    stop: async () => undefined,
    health: () => HEALTHY,
    listChannels: async () => [...state.channels.values()],
    getChannel: async (nativeId: string) => state.channels.get(nativeId) ?? null,
    hangupChannel: async (nativeId: string) => {
      state.channels.delete(nativeId);
    },
  };
}

/**
 * Wraps the state in a Proxy: known behaviours run after the call is recorded (a pending
 * failure throws first), any other operation is recorded and resolves to undefined.
 */
function fakeBackend<T>(state: FakeState, behaviours: Record<string, (...args: any[]) => unknown>, fields: object): T {
  const target = Object.assign(Object.create(null), fields, { url: `fake://${state.name}` });
  return new Proxy(target, {
    get(obj, prop) {
      if (prop === 'name' || prop === 'kind' || prop === 'calls' || prop === 'channels') return state[prop];
      if (prop === 'failNext') return state.failNext.bind(state);
      if (prop in obj) return obj[prop];
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      const behaviour = behaviours[prop];
      return (...args: unknown[]) => {
        try {
          state.record(prop, args);
        } catch (err) {
          return Promise.reject(err);
        }
        return behaviour ? behaviour(...args) : Promise.resolve(undefined);
      };
    },
  }) as T;
}

export function fakeAriBackend(name: string, channels: Channel[] = []): FakeAriBackend {
  const state = new FakeState(name, 'ari');
  for (const c of channels) state.channels.set(c.nativeId, c);
  let next = 0;
  const behaviours = {
    ...commonBehaviours(state),
    // Originate answers with the new channel, as ARI's POST /channels does.
    originate: async (p: OriginateParams) => {
      const channel = fakeChannel(name, 'ari', p.channelId ?? `fake-${++next}`, {
        state: 'DOWN',
        rawState: 'Down',
        name: `${p.endpoint}-fake`,
      });
      state.channels.set(channel.nativeId, channel);
      return channel;
    },
  };
  return fakeBackend<FakeAriBackend>(state, behaviours, {});
}

export function fakeKazooBackend(name: string, accountId: string, channels: Channel[] = []): FakeKazooBackend {
  const state = new FakeState(name, 'kazoo');
  for (const c of channels) state.channels.set(c.nativeId, c);
  const behaviours = {
    ...commonBehaviours(state),
    canListSystemWide: async () => false,
    onEvent: () => () => undefined,
  };
  return fakeBackend<FakeKazooBackend>(state, behaviours, { accountId });
}
