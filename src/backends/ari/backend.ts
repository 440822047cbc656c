/**
 * One Asterisk behind patchbay: the Backend + AriOperations contract in domain terms, built on
 * the REST client (client.ts), the wire → domain mapping (map.ts) and the events socket.
 */
import type { AriBackendConfig } from '../../config';
import type { Channel, LiveRecording, Playback, RtpStats } from '../../domain/channel';
import { newestSnapshots } from '../../domain/channel-progress';
import { BackendError, ErrorCode } from '../../domain/errors';
import type {
  AriBackendLike,
  BackendEventSource,
  BackendHealth,
  CallContext,
  ContinueParams,
  CreateChannelParams,
  DtmfParams,
  ExternalMediaParams,
  HangupOptions,
  MuteDirection,
  OriginateParams,
  PlaybackOperation,
  PlayParams,
  RecordParams,
  SnoopParams,
  TransferProgressState,
  Variables,
} from '../types';
import { AriClient, type RequestOptions } from './client';
import { toWireVariables } from './encoding';
import { AriEventSource } from './event-source';
import {
  AriEventsSocket,
  type AriEventListener,
  type ConnectionListener,
  type EventsSocketOptions,
} from './events-socket';
import { AriHttp } from './http';
import { mapChannel, mapLiveRecording, mapPlayback, mapRtpStats } from './map';

/** Knobs the config file does not carry (tests shorten the reconnect backoff, for instance). */
export interface AriBackendTuning {
  events?: Pick<EventsSocketOptions, 'backoff' | 'pingIntervalMs' | 'handshakeTimeoutMs' | 'subscribeAll'>;
  maxSockets?: number;
}

const opts = (ctx: CallContext): RequestOptions => ({ requestId: ctx.requestId });
const vars = (v: Variables | undefined) => (v === undefined ? undefined : toWireVariables(v));

/** 404 → null; anything else rethrown. */
async function orNull<T>(p: Promise<T>, onlyIf: (e: BackendError) => boolean = () => true): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof BackendError && e.code === ErrorCode.NOT_FOUND && e.backendStatus === 404 && onlyIf(e))
      return null;
    throw e;
  }
}

export class AriBackend implements AriBackendLike {
  readonly kind = 'ari' as const;
  readonly name: string;
  readonly url: string;
  /** The Stasis application whose events socket this backend holds. */
  readonly app: string;
  /** Wire-level access for the events/ingest work and for tests. */
  readonly client: AriClient;
  private readonly http: AriHttp;
  private readonly events: AriEventsSocket;
  readonly eventSource: BackendEventSource;

  constructor(config: AriBackendConfig, tuning: AriBackendTuning = {}) {
    this.name = config.name;
    this.url = config.url;
    this.app = config.app;
    this.http = new AriHttp({
      backend: config.name,
      baseUrl: config.url,
      username: config.username,
      password: config.password,
      timeoutMs: config.requestTimeoutMs,
      maxSockets: tuning.maxSockets,
    });
    this.client = new AriClient(this.http);
    this.events = new AriEventsSocket({
      backend: config.name,
      baseUrl: config.url,
      username: config.username,
      password: config.password,
      app: config.app,
      ...tuning.events,
    });
    this.eventSource = new AriEventSource({
      backend: config.name,
      socket: this.events,
      subscribeAll: (ctx) => this.subscribeAll(ctx),
    });
  }

  start(): Promise<void> {
    return this.events.start();
  }

  async stop(): Promise<void> {
    await this.events.close();
    this.http.close();
  }

  health(): BackendHealth {
    return this.events.health();
  }

  /** Raw ARI events (wire types) from the events socket, for tests; ingest uses eventSource. */
  onEvent(listener: AriEventListener): () => void {
    return this.events.onEvent(listener);
  }

  /** true on every (re)connect of the events socket — re-read state then: ARI replays nothing. */
  onConnectionChange(listener: ConnectionListener): () => void {
    return this.events.onConnectionChange(listener);
  }

  /**
   * Makes the app subscribed to every channel, bridge, endpoint and device state. The socket's
   * `subscribeAll=true` only applies when Asterisk creates the app; on a reconnect while the app
   * still exists (it has channels in Stasis) Asterisk keeps the old, narrower subscriptions
   * (docs/wire/ari.md §4.1), and hangups of channels outside Stasis would go unheard.
   */
  async subscribeAll(ctx: CallContext): Promise<void> {
    await this.client.subscribeApplication(this.app, ['channel:', 'bridge:', 'endpoint:', 'deviceState:'], opts(ctx));
  }

  // --- Backend -------------------------------------------------------------------------------

  /** One entry per channel even when Asterisk lists one twice (docs/wire/ari.md §7, §8.1). */
  async listChannels(ctx: CallContext): Promise<Channel[]> {
    const list = await this.client.list(opts(ctx));
    return newestSnapshots(list.map((c) => mapChannel(this.name, c)));
  }

  async getChannel(nativeId: string, ctx: CallContext): Promise<Channel | null> {
    const c = await orNull(this.client.get(nativeId, opts(ctx)));
    return c && mapChannel(this.name, c);
  }

  hangupChannel(nativeId: string, o: HangupOptions, ctx: CallContext): Promise<void> {
    const reason_code = o.reasonCode === undefined ? undefined : String(o.reasonCode);
    return this.client.hangup(nativeId, { reason: o.reason, reason_code }, opts(ctx));
  }

  // --- AriOperations: channel lifecycle ------------------------------------------------------

  async originate(p: OriginateParams, ctx: CallContext): Promise<Channel> {
    const { channelId, variables, ...rest } = p;
    const wire = { ...rest, variables: vars(variables) };
    const c =
      channelId === undefined
        ? await this.client.originate(wire, opts(ctx))
        : await this.client.originateWithId(channelId, wire, opts(ctx));
    return mapChannel(this.name, c);
  }

  async createChannel(p: CreateChannelParams, ctx: CallContext): Promise<Channel> {
    const c = await this.client.create({ ...p, variables: vars(p.variables) }, opts(ctx));
    return mapChannel(this.name, c);
  }

  dial(id: string, p: { caller?: string; timeout?: number }, ctx: CallContext): Promise<void> {
    return this.client.dial(id, { caller: p.caller, timeout: p.timeout }, opts(ctx));
  }

  continueInDialplan(id: string, p: ContinueParams, ctx: CallContext): Promise<void> {
    return this.client.continueInDialplan(
      id,
      { context: p.context, extension: p.extension, priority: p.priority, label: p.label },
      opts(ctx),
    );
  }

  move(id: string, p: { app: string; appArgs?: string }, ctx: CallContext): Promise<void> {
    return this.client.move(id, { app: p.app, appArgs: p.appArgs }, opts(ctx));
  }

  redirect(id: string, endpoint: string, ctx: CallContext): Promise<void> {
    return this.client.redirect(id, endpoint, opts(ctx));
  }

  // --- AriOperations: signalling and media ---------------------------------------------------

  answer(id: string, ctx: CallContext): Promise<void> {
    return this.client.answer(id, opts(ctx));
  }

  ring(id: string, ctx: CallContext): Promise<void> {
    return this.client.ring(id, opts(ctx));
  }

  ringStop(id: string, ctx: CallContext): Promise<void> {
    return this.client.ringStop(id, opts(ctx));
  }

  progress(id: string, ctx: CallContext): Promise<void> {
    return this.client.progress(id, opts(ctx));
  }

  sendDtmf(id: string, p: DtmfParams, ctx: CallContext): Promise<void> {
    const q = { dtmf: p.dtmf, before: p.beforeMs, between: p.betweenMs, duration: p.durationMs, after: p.afterMs };
    return this.client.sendDTMF(id, q, opts(ctx));
  }

  mute(id: string, direction: MuteDirection, ctx: CallContext): Promise<void> {
    return this.client.mute(id, direction, opts(ctx));
  }

  unmute(id: string, direction: MuteDirection, ctx: CallContext): Promise<void> {
    return this.client.unmute(id, direction, opts(ctx));
  }

  hold(id: string, ctx: CallContext): Promise<void> {
    return this.client.hold(id, opts(ctx));
  }

  unhold(id: string, ctx: CallContext): Promise<void> {
    return this.client.unhold(id, opts(ctx));
  }

  startMoh(id: string, mohClass: string | undefined, ctx: CallContext): Promise<void> {
    return this.client.startMoh(id, mohClass, opts(ctx));
  }

  stopMoh(id: string, ctx: CallContext): Promise<void> {
    return this.client.stopMoh(id, opts(ctx));
  }

  startSilence(id: string, ctx: CallContext): Promise<void> {
    return this.client.startSilence(id, opts(ctx));
  }

  stopSilence(id: string, ctx: CallContext): Promise<void> {
    return this.client.stopSilence(id, opts(ctx));
  }

  async play(id: string, p: PlayParams, ctx: CallContext): Promise<Playback> {
    const q = { media: p.media, lang: p.lang, offsetms: p.offsetMs, skipms: p.skipMs };
    const pb =
      p.playbackId === undefined
        ? await this.client.play(id, q, opts(ctx))
        : await this.client.playWithId(id, p.playbackId, q, opts(ctx));
    return mapPlayback(this.name, pb);
  }

  async record(id: string, p: RecordParams, ctx: CallContext): Promise<LiveRecording> {
    const r = await this.client.record(id, { ...p }, opts(ctx));
    return mapLiveRecording(this.name, r);
  }

  // --- AriOperations: variables --------------------------------------------------------------

  async getVariable(id: string, name: string, ctx: CallContext): Promise<string | null> {
    // Only the variable's own 404 means "unset"; "Provided channel was not found" must surface.
    const v = await orNull(
      this.client.getChannelVar(id, name, opts(ctx)),
      (e) => e.backendMessage === 'Provided variable was not found',
    );
    return v && v.value;
  }

  async getVariables(id: string, names: string[], ctx: CallContext): Promise<Record<string, string>> {
    const v = await this.client.getChannelVars(id, names, opts(ctx));
    return { ...v.variables };
  }

  setVariable(
    id: string,
    name: string,
    value: string | undefined,
    reportEvents: boolean | undefined,
    ctx: CallContext,
  ): Promise<void> {
    return this.client.setChannelVar(id, { variable: name, value, report_events: reportEvents }, opts(ctx));
  }

  setVariables(id: string, v: Variables, ctx: CallContext): Promise<void> {
    return this.client.setChannelVars(id, toWireVariables(v), opts(ctx));
  }

  // --- AriOperations: derived channels, stats, playbacks -------------------------------------

  async snoop(id: string, p: SnoopParams, ctx: CallContext): Promise<Channel> {
    const q = { spy: p.spy, whisper: p.whisper, app: p.app, appArgs: p.appArgs };
    const c =
      p.snoopId === undefined
        ? await this.client.snoopChannel(id, q, opts(ctx))
        : await this.client.snoopChannelWithId(id, p.snoopId, q, opts(ctx));
    return mapChannel(this.name, c);
  }

  async rtpStatistics(id: string, ctx: CallContext): Promise<RtpStats> {
    return mapRtpStats(await this.client.rtpstatistics(id, opts(ctx)));
  }

  async externalMedia(p: ExternalMediaParams, ctx: CallContext): Promise<Channel> {
    const c = await this.client.externalMedia(
      {
        channelId: p.channelId,
        app: p.app,
        external_host: p.externalHost,
        encapsulation: p.encapsulation,
        transport: p.transport,
        connection_type: p.connectionType,
        format: p.format,
        direction: p.direction,
        data: p.data,
        transport_data: p.transportData,
        variables: vars(p.variables),
      },
      opts(ctx),
    );
    return mapChannel(this.name, c);
  }

  transferProgress(id: string, state: TransferProgressState, ctx: CallContext): Promise<void> {
    return this.client.transferProgress(id, state, opts(ctx));
  }

  async getPlayback(playbackId: string, ctx: CallContext): Promise<Playback | null> {
    const pb = await orNull(this.client.getPlayback(playbackId, opts(ctx)));
    return pb && mapPlayback(this.name, pb);
  }

  stopPlayback(playbackId: string, ctx: CallContext): Promise<void> {
    return this.client.stopPlayback(playbackId, opts(ctx));
  }

  controlPlayback(playbackId: string, operation: PlaybackOperation, ctx: CallContext): Promise<void> {
    return this.client.controlPlayback(playbackId, operation, opts(ctx));
  }
}
