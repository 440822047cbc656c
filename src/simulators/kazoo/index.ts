/**
 * KAZOO simulator: Crossbar (HTTP) and Blackhole (websocket) on their own ports, following
 * docs/wire/kazoo.md. See README.md beside this file.
 */
import type { AvailabilityState, KazooSeed } from './seed';
import { defaultSeed, recipientSeed } from './seed';
import { Store } from './store';
import { TokenIssuer } from './tokens';
import { EventHub, type BusEvent } from './event-hub';
import { CallEngine, type StartCallOptions } from './calls';
import { QubicleEngine } from './qubicle/engine';
import type { TimestampFormat } from './qubicle/recipient-shapes';
import { CrossbarServer, type RequestRecord } from './crossbar/server';
import type { Route, SimDeps } from './crossbar/context';
import { authRoutes } from './crossbar/routes/auth';
import { directoryRoutes } from './crossbar/routes/directory';
import { channelRoutes } from './crossbar/routes/channels';
import { websocketRoutes } from './crossbar/routes/websockets';
import { qubicleRoutes } from './crossbar/routes/qubicle';
import { BlackholeServer } from './blackhole/server';
import { type KazooWorld, type WorldRecipient, buildWorld } from './world';
import { encodeNode, md5Hex } from './wire';

export type { KazooSeed, AvailabilityState } from './seed';
export { defaultSeed, addRecipientAccount, recipientSeed } from './seed';
export type { KazooWorld, WorldAccount, WorldUser, WorldDevice, WorldQueue, WorldRecipient } from './world';
export type { BusEvent } from './event-hub';
export type { StartCallOptions } from './calls';
export type { RequestRecord } from './crossbar/server';

export interface KazooTiming {
  /** Wait before an unknown channel lookup answers 503 (real: the 2 s AMQP timeout). Default 100. */
  channelLookupTimeoutMs?: number;
  /** Delay between a hangup action's reply and the call actually ending. Default 20. */
  actionEffectMs?: number;
  /** Overrides each queue's agent_wrapup_time, in ms. Default: the queue's seconds. */
  wrapupMs?: number;
  /** Blackhole idle timeout (client silence). Default 1 hour. */
  blackholeIdleTimeoutMs?: number;
}

export interface KazooSimulatorOptions {
  /** 0 = ephemeral (default). */
  crossbarPort?: number;
  blackholePort?: number;
  host?: string;
  /** Seed data; the default world when absent. */
  seed?: KazooSeed;
  /** system_config crossbar.channels.system_wide_channels_list. Default false. */
  allowSystemWideChannels?: boolean;
  /** Token lifetime (default 3600). */
  tokenTtlSeconds?: number;
  timing?: KazooTiming;
  /** Qubicle stats timestamps: unix seconds (documented) or Gregorian. Default 'unix'. */
  qubicleTimestamps?: TimestampFormat;
}

export type RecipientCommand = 'login' | 'logout' | 'ready' | 'away' | 'wrapup_cancel' | 'wrapup_extend';

export interface KazooSimulator {
  /** e.g. 'http://127.0.0.1:<port>/v2' */
  readonly crossbarUrl: string;
  /** e.g. 'ws://127.0.0.1:<port>' */
  readonly blackholeUrl: string;
  readonly world: KazooWorld;
  readonly requests: ReadonlyArray<RequestRecord>;
  resetRequestLog(): void;
  close(): Promise<void>;
  /** Every issued token becomes invalid (401). */
  expireAllTokens(): void;
  setAllowSystemWideChannels(allow: boolean): void;
  /** Drops every Blackhole connection (close code 1001). */
  disconnectBlackholeSessions(): void;
  /** Starts a call; returns the A-leg call-id. */
  startCall(o: StartCallOptions): string;
  /** The far end answers (any leg id of the call). */
  answerCall(callId: string): void;
  /** Hangs up the call; given the ringing B-leg of a Qubicle offer, rejects that offer only. */
  hangupCall(callId: string, cause?: string): void;
  /** Live leg call-ids of the call that `callId` belongs to, A-leg first ([] when gone). */
  callLegs(callId: string): string[];
  /** Recipient state changes as the recipient's own phone/app would make them. */
  recipientCommand(recipientId: string, command: RecipientCommand): void;
  recipientState(recipientId: string): AvailabilityState | undefined;
  /** Adds `n` recipients (user + device, member of `queueIds` or all the account's queues). */
  createRecipients(
    accountId: string,
    n: number,
    o?: { queueIds?: string[]; initialState?: 'Not-Logged-In' | 'Away' | 'Ready' },
  ): WorldRecipient[];
  /** Every event published to Blackhole (AMQP side), e.g. for the call generator's log. */
  onEvent(listener: (ev: BusEvent) => void): () => void;
  /** md5 credentials for PUT /v2/user_auth. */
  credentialsFor(username: string, password: string): string;
}

export async function startKazooSimulator(o: KazooSimulatorOptions = {}): Promise<KazooSimulator> {
  const host = o.host ?? '127.0.0.1';
  const timing = o.timing ?? {};
  const store = new Store(o.seed ?? defaultSeed());
  if (!store.superduperAccount()) throw new Error('seed has no superduper admin account');
  const tokens = new TokenIssuer(o.tokenTtlSeconds ?? 3600);
  const hub = new EventHub();
  const calls = new CallEngine(store, hub);
  const qubicle = new QubicleEngine(store, calls, hub, {
    timestampFormat: o.qubicleTimestamps ?? 'unix',
    wrapupMs: timing.wrapupMs,
  });
  let allowSystemWide = o.allowSystemWideChannels ?? false;

  const blackhole = new BlackholeServer({ store, tokens }, hub, {
    idleTimeoutMs: timing.blackholeIdleTimeoutMs ?? 3_600_000,
  });
  const blackholePort = await blackhole.listen(o.blackholePort ?? 0, host);

  const deps: SimDeps = {
    store,
    tokens,
    calls,
    qubicle,
    hub,
    sessions: () => blackhole.tracked(),
    blackholeHost: `${host}:${blackholePort}`,
    allowSystemWideChannels: () => allowSystemWide,
    channelLookupTimeoutMs: timing.channelLookupTimeoutMs ?? 100,
    actionEffectMs: timing.actionEffectMs ?? 20,
  };
  const routes: Route[] = [...authRoutes, ...channelRoutes, ...websocketRoutes, ...qubicleRoutes, ...directoryRoutes];
  const crossbar = new CrossbarServer(routes, deps, encodeNode('kazoo_apps@apps1.sip.example.com'));
  let crossbarPort: number;
  try {
    crossbarPort = await crossbar.listen(o.crossbarPort ?? 0, host);
  } catch (e) {
    await blackhole.close();
    throw e;
  }

  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    crossbarUrl: `http://${hostForUrl}:${crossbarPort}/v2`,
    blackholeUrl: `ws://${hostForUrl}:${blackholePort}`,
    get world() {
      return buildWorld(store, qubicle);
    },
    get requests() {
      return crossbar.requests;
    },
    resetRequestLog: () => {
      crossbar.requests.length = 0;
    },
    close: async () => {
      qubicle.close();
      await Promise.all([crossbar.close(), blackhole.close()]);
    },
    expireAllTokens: () => tokens.expireAll(),
    setAllowSystemWideChannels: (allow) => {
      allowSystemWide = allow;
    },
    disconnectBlackholeSessions: () => blackhole.disconnectAll(),
    startCall: (opts) => calls.startCall(opts),
    answerCall: (id) => calls.answerCall(id),
    hangupCall: (id, cause) => calls.hangupCall(id, cause),
    callLegs: (id) =>
      calls
        .callOf(id)
        ?.legs.filter((l) => !l.endedMs)
        .map((l) => l.callId) ?? [],
    recipientCommand: (id, command) => {
      switch (command) {
        case 'login':
          return qubicle.login(id);
        case 'logout':
          return qubicle.logout(id);
        case 'ready':
        case 'away':
          qubicle.setAvailability(id, command === 'ready');
          return;
        case 'wrapup_cancel':
          return qubicle.wrapupCancel(id);
        case 'wrapup_extend':
          return qubicle.wrapupExtend(id);
      }
    },
    recipientState: (id) => {
      const r = qubicle.get(id);
      return r ? (r.loggedIn ? r.state : 'Not-Logged-In') : undefined;
    },
    createRecipients: (accountId, n, opts = {}) => {
      if (!store.accounts.has(accountId)) throw new Error(`unknown account ${accountId}`);
      const queueIds = opts.queueIds ?? store.queuesIn(accountId).map((q) => q.id);
      const base = store.recipientsIn(accountId).length;
      const ids: string[] = [];
      for (let i = 1; i <= n; i++) {
        const { user, device } = recipientSeed(
          {
            accountId,
            firstName: `Agent${String(base + i).padStart(3, '0')}`,
            lastName: 'Extra',
            queues: queueIds,
            initialState: opts.initialState,
            extension: String(2000 + base + i),
          },
          `extra-${base + i}`,
        );
        const u = store.addUser(user);
        store.addDevice(device);
        qubicle.addRecipient(u, opts.initialState ?? 'Not-Logged-In');
        ids.push(u.id);
      }
      return buildWorld(store, qubicle).recipients.filter((r) => ids.includes(r.id));
    },
    onEvent: (listener) => hub.onEvent(listener),
    credentialsFor: (username, password) => md5Hex(`${username.toLowerCase()}:${password}`),
  };
}
export { startKazooCallGenerator } from './call-generator';
export type { KazooCallGenerator, KazooCallGeneratorOptions } from './call-generator';
