/**
 * AriBackend end to end against the ARI simulator (src/simulators/ari): REST over real HTTP,
 * events over the real /ari/events WebSocket.
 */
import { AriBackend } from '../../../src/backends/ari/backend';
import type { AriMessage, Channel as WireChannel } from '../../../src/backends/ari/wire.generated';
import type { AriBackendConfig } from '../../../src/config';
import { BackendError } from '../../../src/domain/errors';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { waitFor } from './ws-server';

const ctx = { requestId: 'e2e' };
const APP = 'patchbay';

function config(url: string, password = 'asterisk'): AriBackendConfig {
  return { name: 'sim', kind: 'ari', url, username: 'asterisk', password, app: APP, requestTimeoutMs: 2000 };
}

async function caught(p: Promise<unknown>): Promise<BackendError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    return e as BackendError;
  }
  throw new Error('expected a BackendError');
}

/** Collects every event; waits (bounded) for one matching a predicate. */
class Events {
  readonly all: AriMessage[] = [];
  push = (e: AriMessage): void => {
    this.all.push(e);
  };
  async next<T extends AriMessage['type']>(
    type: T,
    pred: (e: Extract<AriMessage, { type: T }>) => boolean = () => true,
    from = 0,
  ): Promise<Extract<AriMessage, { type: T }>> {
    let found: Extract<AriMessage, { type: T }> | undefined;
    await waitFor(() => {
      found = this.all
        .slice(from)
        .find(
          (e): e is Extract<AriMessage, { type: T }> => e.type === type && pred(e as Extract<AriMessage, { type: T }>),
        );
      return found !== undefined;
    }, `event ${type}`);
    return found as Extract<AriMessage, { type: T }>;
  }
  forChannel(id: string): string[] {
    return this.all.filter((e) => (e as { channel?: WireChannel }).channel?.id === id).map((e) => e.type);
  }
}

const onChannel = (id: string) => (e: { channel?: WireChannel }) => e.channel?.id === id;

describe('AriBackend against the ARI simulator', () => {
  let sim: AriSimulator;
  let backend: AriBackend;
  let events: Events;

  beforeAll(async () => {
    sim = await startAriSimulator({ timing: { ringMs: 10, answerMs: 10, playbackMs: 10_000, recordingMs: 10_000 } });
    backend = new AriBackend(config(sim.url), { events: { backoff: { initialMs: 10, maxMs: 50 }, pingIntervalMs: 0 } });
    events = new Events();
    backend.onEvent(events.push);
    await backend.start();
  });
  afterAll(async () => {
    await backend.stop();
    await sim.close();
  });

  it('holds the events socket with Basic auth and reports healthy', () => {
    const h = backend.health();
    expect(h).toMatchObject({ connected: true, reconnects: 0, lastError: null });
    const upgrade = sim.requests.find((r) => r.path === '/ari/events');
    expect(upgrade?.query).toBe(`app=${APP}&subscribeAll=true`);
  });

  it('originate into the app, StasisStart, then call control on a PJSIP channel', async () => {
    const ch = await backend.originate(
      { endpoint: 'PJSIP/alice', app: APP, appArgs: 'x,y', channelId: 'e2e-1', callerId: '"Zoë" <+4930123>' },
      ctx,
    );
    expect(ch).toMatchObject({
      backend: 'sim',
      nativeId: 'e2e-1',
      state: 'DOWN',
      caller: { name: 'Zoë', number: '+4930123' },
    });
    expect(ch.name).toMatch(/^PJSIP\/alice-[0-9a-f]{8}$/);

    const start = await events.next('StasisStart', onChannel('e2e-1'));
    expect(start.args).toEqual(['x', 'y']);
    expect(start.channel.state).toBe('Up');
    expect((await backend.getChannel('e2e-1', ctx))?.state).toBe('UP');

    await backend.answer('e2e-1', ctx);
    await backend.hold('e2e-1', ctx);
    await backend.unhold('e2e-1', ctx);
    await backend.mute('e2e-1', 'in', ctx);
    await backend.unmute('e2e-1', 'in', ctx);
    await backend.sendDtmf('e2e-1', { dtmf: '12#', betweenMs: 10, durationMs: 20 }, ctx);
    await backend.ring('e2e-1', ctx);
    await backend.ringStop('e2e-1', ctx);
    await backend.startMoh('e2e-1', undefined, ctx);
    await backend.stopMoh('e2e-1', ctx);
    await backend.startSilence('e2e-1', ctx);
    await backend.stopSilence('e2e-1', ctx);

    const stats = await backend.rtpStatistics('e2e-1', ctx);
    expect(stats.channelNativeId).toBe('e2e-1');
    expect(typeof stats.txCount).toBe('number');
    expect(typeof stats.localSsrc).toBe('number');

    const list = await backend.listChannels(ctx);
    expect(list.map((c) => c.nativeId)).toContain('e2e-1');
  });

  it('play, read and stop a playback', async () => {
    const from = events.all.length;
    const pb = await backend.play('e2e-1', { media: ['sound:hello-world'], playbackId: 'pb-e2e-1' }, ctx);
    expect(pb).toMatchObject({
      backend: 'sim',
      nativeId: 'pb-e2e-1',
      state: 'QUEUED',
      targetUri: 'channel:e2e-1',
      mediaUri: 'sound:hello-world',
    });
    await events.next('PlaybackStarted', (e) => e.playback.id === 'pb-e2e-1', from);
    expect((await backend.getPlayback('pb-e2e-1', ctx))?.state).toBe('PLAYING');
    await backend.controlPlayback('pb-e2e-1', 'pause', ctx);
    await backend.controlPlayback('pb-e2e-1', 'unpause', ctx);
    await backend.stopPlayback('pb-e2e-1', ctx);
    const finished = await events.next('PlaybackFinished', (e) => e.playback.id === 'pb-e2e-1', from);
    expect(finished.playback.state).toBe('done');
    await expect(backend.getPlayback('pb-e2e-1', ctx)).resolves.toBeNull();
    const e = await caught(backend.stopPlayback('pb-e2e-1', ctx));
    expect(e.code).toBe('NOT_FOUND');
  });

  it('variables: + and unicode survive the round trip, report_events shows in the snapshot', async () => {
    await backend.setVariable('e2e-1', 'FOO', '+1 Zoë,x', undefined, ctx);
    await expect(backend.getVariable('e2e-1', 'FOO', ctx)).resolves.toBe('+1 Zoë,x');
    await expect(backend.getVariable('e2e-1', 'NOPE_NOT_SET', ctx)).resolves.toBeNull();
    await expect(backend.getVariable('e2e-1', 'CHANNEL(name)', ctx)).resolves.toMatch(/^PJSIP\/alice-/);

    await backend.setVariables('e2e-1', { BAR: 'b', SHOWN: { value: 'yes', reportEvents: true } }, ctx);
    await expect(backend.getVariables('e2e-1', ['FOO', 'BAR'], ctx)).resolves.toEqual({ FOO: '+1 Zoë,x', BAR: 'b' });
    expect((await backend.getChannel('e2e-1', ctx))?.variables).toMatchObject({ SHOWN: 'yes' });
    const varset = await events.next('ChannelVarset', (e) => e.variable === 'FOO');
    expect(varset.value).toBe('+1 Zoë,x');

    await backend.setVariable('e2e-1', 'FOO', undefined, undefined, ctx);
    await expect(backend.getVariable('e2e-1', 'FOO', ctx)).resolves.toBeNull();
    const missing = await caught(backend.getVariables('e2e-1', ['BAR', 'NOPE_NOT_SET'], ctx));
    expect(missing).toMatchObject({
      code: 'NOT_FOUND',
      backendStatus: 404,
      backendMessage: 'Provided variable was not found',
    });
  });

  it('snoop creates a Snoop/ channel that enters the app', async () => {
    const snoop = await backend.snoop('e2e-1', { app: APP, spy: 'both', snoopId: 'snoop-e2e-1' }, ctx);
    expect(snoop.nativeId).toBe('snoop-e2e-1');
    expect(snoop.name).toMatch(/^Snoop\/e2e-1-[0-9a-f]{8}$/);
    expect(snoop.state).toBe('UP');
    await events.next('StasisStart', onChannel('snoop-e2e-1'));
    await backend.hangupChannel('snoop-e2e-1', {}, ctx);
  });

  it('rtp_statistics on a Local channel is 403 → UNSUPPORTED_OPERATION', async () => {
    const local = await backend.originate({ endpoint: 'Local/wait@ari-test', app: APP, channelId: 'e2e-local' }, ctx);
    expect(local.name).toMatch(/^Local\/wait@ari-test-[0-9a-f]{8};1$/);
    const e = await caught(backend.rtpStatistics('e2e-local', ctx));
    expect(e).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      backendStatus: 403,
      backendMessage: 'Unsupported channel type',
    });
    await events.next('StasisStart', onChannel('e2e-local'));
    await backend.hangupChannel('e2e-local', {}, ctx);
    await events.next('ChannelDestroyed', onChannel('e2e-local'));
  });

  it('hangup: ChannelHangupRequest → StasisEnd → ChannelDestroyed with the reason cause', async () => {
    await backend.hangupChannel('e2e-1', { reason: 'busy' }, ctx);
    const destroyed = await events.next('ChannelDestroyed', onChannel('e2e-1'));
    expect(destroyed.cause).toBe(17);
    const order = events
      .forChannel('e2e-1')
      .filter((t) => ['ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed'].includes(t));
    expect(order).toEqual(['ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
    await expect(backend.getChannel('e2e-1', ctx)).resolves.toBeNull();
  });

  it('inbound call from the far end: StasisStart in Ring, answer, far-end DTMF and hangup', async () => {
    const id = sim.inboundCall({
      endpoint: 'PJSIP/bob',
      exten: '200',
      app: APP,
      appArgs: ['in'],
      callerId: { name: 'Bob', number: '+1555' },
    });
    const start = await events.next('StasisStart', onChannel(id));
    expect(start.channel.state).toBe('Ring');
    await backend.answer(id, ctx);
    await events.next('ChannelStateChange', (e) => e.channel.id === id && e.channel.state === 'Up');
    sim.farEndDtmf(id, '7');
    const dtmf = await events.next('ChannelDtmfReceived', onChannel(id));
    expect(dtmf.digit).toBe('7');
    sim.farEndHangup(id, 16);
    await events.next('StasisEnd', onChannel(id));
  });

  describe('error paths', () => {
    it('unknown channel: getChannel null, operations NOT_FOUND', async () => {
      await expect(backend.getChannel('no-such-channel', ctx)).resolves.toBeNull();
      const e = await caught(backend.answer('no-such-channel', ctx));
      expect(e).toMatchObject({
        code: 'NOT_FOUND',
        backend: 'sim',
        backendStatus: 404,
        backendMessage: 'Channel not found',
      });
      const v = await caught(backend.getVariable('no-such-channel', 'FOO', ctx));
      expect(v).toMatchObject({ code: 'NOT_FOUND', backendMessage: 'Provided channel was not found' });
    });

    it('channel not in Stasis → CHANNEL_NOT_IN_APPLICATION', async () => {
      const ch = await backend.originate(
        { endpoint: 'Local/wait@ari-test', extension: 'wait', context: 'ari-test', priority: 1, channelId: 'e2e-dp' },
        ctx,
      );
      const e = await caught(backend.answer(ch.nativeId, ctx));
      expect(e).toMatchObject({
        code: 'CHANNEL_NOT_IN_APPLICATION',
        backendStatus: 409,
        backendMessage: 'Channel not in Stasis application',
      });
      await backend.hangupChannel(ch.nativeId, {}, ctx);
    });

    it('duplicate channelId → CONFLICT', async () => {
      await backend.originate({ endpoint: 'Local/wait@ari-test', app: APP, channelId: 'e2e-dup' }, ctx);
      const e = await caught(
        backend.originate({ endpoint: 'Local/wait@ari-test', app: APP, channelId: 'e2e-dup' }, ctx),
      );
      expect(e).toMatchObject({
        code: 'CONFLICT',
        backendStatus: 409,
        backendMessage: 'Channel with given unique ID already exists',
      });
      await backend.hangupChannel('e2e-dup', {}, ctx);
    });

    it('bad mute direction → BAD_USER_INPUT; Down channel → CHANNEL_STATE_INVALID', async () => {
      const created = await backend.createChannel({ endpoint: 'PJSIP/carol', app: APP, channelId: 'e2e-created' }, ctx);
      expect(created.state).toBe('DOWN');
      await events.next('StasisStart', onChannel('e2e-created'));
      const bad = await caught(backend.mute('e2e-created', 'sideways' as 'in', ctx));
      // State check (412) comes before the direction check on a Down channel.
      expect(bad).toMatchObject({ code: 'CHANNEL_STATE_INVALID', backendStatus: 412 });
      await backend.dial('e2e-created', { timeout: 5 }, ctx);
      await events.next('ChannelStateChange', (e) => e.channel.id === 'e2e-created' && e.channel.state === 'Up');
      const e = await caught(backend.mute('e2e-created', 'sideways' as 'in', ctx));
      expect(e).toMatchObject({
        code: 'BAD_USER_INPUT',
        backendStatus: 400,
        backendMessage: 'Invalid direction specified',
      });
      const again = await caught(backend.dial('e2e-created', {}, ctx));
      expect(again).toMatchObject({
        code: 'CHANNEL_STATE_INVALID',
        backendStatus: 409,
        backendMessage: "Channel is not in the 'Down' state",
      });
      await backend.hangupChannel('e2e-created', {}, ctx);
    });

    it('unknown technology → 500 Allocation failed → BACKEND_UNAVAILABLE', async () => {
      const e = await caught(backend.originate({ endpoint: 'NoSuchTech/foo', app: APP }, ctx));
      expect(e).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backendStatus: 500, backendMessage: 'Allocation failed' });
    });
  });

  it('wrong password: REST → BACKEND_AUTH_FAILED, events socket unhealthy, no secret anywhere', async () => {
    const bad = new AriBackend(config(sim.url, 'wrong-secret'), {
      events: { backoff: { initialMs: 10, maxMs: 50 }, pingIntervalMs: 0 },
    });
    try {
      await bad.start();
      expect(bad.health()).toMatchObject({
        connected: false,
        lastError: 'authentication failed (HTTP 401 on the events upgrade)',
      });
      const e = await caught(bad.listChannels(ctx));
      expect(e).toMatchObject({
        code: 'BACKEND_AUTH_FAILED',
        backendStatus: 401,
        backendMessage: 'Authentication required',
      });
      expect(JSON.stringify({ m: e.message, d: e.details, h: bad.health() })).not.toContain('wrong-secret');
    } finally {
      await bad.stop();
    }
  });
});

describe('AriBackend events socket across simulator restarts and app takeovers', () => {
  const tuning = { events: { backoff: { initialMs: 10, maxMs: 50 }, pingIntervalMs: 0 } };

  it('reconnects when the simulator goes away and comes back on the same port', async () => {
    let sim = await startAriSimulator();
    const port = sim.port;
    const backend = new AriBackend(config(sim.url), tuning);
    const changes: boolean[] = [];
    backend.onConnectionChange((c) => changes.push(c));
    try {
      await backend.start();
      expect(backend.health().connected).toBe(true);
      await sim.close();
      await waitFor(() => !backend.health().connected, 'disconnect noticed');
      await waitFor(() => backend.health().reconnects >= 2, 'retries while down');
      sim = await startAriSimulator({ port });
      await waitFor(() => backend.health().connected, 'reconnected');
      expect(changes).toEqual([true, false, true]);
      expect(backend.health().lastError).toBeNull();
      // The new socket delivers events again.
      const got: string[] = [];
      backend.onEvent((e) => got.push(e.type));
      const id = sim.inboundCall({ endpoint: 'PJSIP/alice', exten: '100', app: APP });
      await waitFor(() => got.includes('StasisStart'), 'StasisStart after reconnect');
      await backend.hangupChannel(id, {}, ctx);
    } finally {
      await backend.stop();
      await sim.close();
    }
  });

  it('a second client registering the same app gets it; the first reports ApplicationReplaced and stays off', async () => {
    const sim = await startAriSimulator();
    const first = new AriBackend(config(sim.url), tuning);
    const second = new AriBackend(config(sim.url), tuning);
    const seen: string[] = [];
    first.onEvent((e) => seen.push(e.type));
    try {
      await first.start();
      await second.start();
      await waitFor(() => seen.includes('ApplicationReplaced'), 'ApplicationReplaced on the first socket');
      await waitFor(() => !first.health().connected, 'first marked disconnected');
      expect(first.health().lastError).toContain('ApplicationReplaced');
      expect(second.health().connected).toBe(true);
      // The first one does not steal the app back on its own.
      const upgrades = () => sim.requests.filter((r) => r.path === '/ari/events').length;
      const before = upgrades();
      await new Promise((r) => setTimeout(r, 120)); // > 2 max backoff periods
      expect(upgrades()).toBe(before);
    } finally {
      await first.stop();
      await second.stop();
      await sim.close();
    }
  });
});
