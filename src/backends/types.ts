/**
 * What the GraphQL layer may ask of a backend. Implementations live in backends/<kind>/backend.ts
 * and speak domain types only; wire shapes never leave backends/<kind>.
 */
import type { BackendKind, Channel, LiveRecording, Playback, RtpStats } from '../domain/channel';

/** Per-call context: carried from the GraphQL request to every backend request. */
export interface CallContext {
  /** Sent as X-Request-ID where the backend accepts it (KAZOO); logged everywhere. */
  requestId?: string;
}

export interface BackendHealth {
  /** The backend's event socket is open (ARI /events, KAZOO Blackhole). */
  connected: boolean;
  lastEventAt: Date | null;
  lastConnectedAt: Date | null;
  reconnects: number;
  /** Last connection error, already free of credentials. */
  lastError: string | null;
}

export interface Backend {
  readonly name: string;
  readonly kind: BackendKind;
  /** Base URL without credentials. */
  readonly url: string;
  /** Opens long-lived connections (event sockets). Resolves once the first attempt settled. */
  start(): Promise<void>;
  /** Closes sockets and keep-alive agents; idempotent. */
  stop(): Promise<void>;
  health(): BackendHealth;
  listChannels(ctx: CallContext): Promise<Channel[]>;
  /** null when the backend says 404. */
  getChannel(nativeId: string, ctx: CallContext): Promise<Channel | null>;
  hangupChannel(nativeId: string, opts: HangupOptions, ctx: CallContext): Promise<void>;
}

export type HangupReason =
  | 'normal'
  | 'busy'
  | 'congestion'
  | 'no_answer'
  | 'timeout'
  | 'rejected'
  | 'unallocated'
  | 'normal_unspecified'
  | 'number_incomplete'
  | 'codec_mismatch'
  | 'interworking'
  | 'failure'
  | 'answered_elsewhere';

export interface HangupOptions {
  reason?: HangupReason;
  reasonCode?: number;
}

/** A variable value for originate/create/externalMedia/setChannelVars bodies. */
export interface VariableValue {
  value: string;
  /** ARI report_events: the variable then shows in every channel snapshot/event. */
  reportEvents?: boolean;
}
export type Variables = Record<string, string | VariableValue>;

export interface OriginateParams {
  endpoint: string;
  /** Stasis app; mutually exclusive with extension/context/priority/label. */
  app?: string;
  appArgs?: string;
  extension?: string;
  context?: string;
  priority?: number;
  label?: string;
  callerId?: string;
  /** Seconds; -1 for none. */
  timeout?: number;
  /** When set, POST /channels/{channelId} (originateWithId). */
  channelId?: string;
  otherChannelId?: string;
  originator?: string;
  formats?: string[];
  variables?: Variables;
}

export interface CreateChannelParams {
  endpoint: string;
  app: string;
  appArgs?: string;
  channelId?: string;
  otherChannelId?: string;
  originator?: string;
  formats?: string[];
  variables?: Variables;
}

export type MuteDirection = 'both' | 'in' | 'out';
export type SnoopDirection = 'none' | 'both' | 'out' | 'in';
export type TransferProgressState =
  | 'channel_progress'
  | 'channel_answered'
  | 'channel_unavailable'
  | 'channel_declined';

export interface DtmfParams {
  dtmf: string;
  beforeMs?: number;
  betweenMs?: number;
  durationMs?: number;
  afterMs?: number;
}

export interface PlayParams {
  media: string[];
  lang?: string;
  offsetMs?: number;
  skipMs?: number;
  /** When set, POST /channels/{id}/play/{playbackId}. */
  playbackId?: string;
}

export interface RecordParams {
  name: string;
  format: string;
  maxDurationSeconds?: number;
  maxSilenceSeconds?: number;
  ifExists?: 'fail' | 'overwrite' | 'append';
  beep?: boolean;
  terminateOn?: 'none' | 'any' | '*' | '#';
}

export interface SnoopParams {
  app: string;
  appArgs?: string;
  spy?: SnoopDirection;
  whisper?: SnoopDirection;
  /** When set, POST /channels/{id}/snoop/{snoopId}. */
  snoopId?: string;
}

export interface ExternalMediaParams {
  app: string;
  externalHost?: string;
  format: string;
  channelId?: string;
  encapsulation?: 'rtp' | 'audiosocket' | 'none';
  transport?: 'udp' | 'tcp' | 'websocket';
  connectionType?: 'client' | 'server';
  direction?: 'both' | 'in' | 'out';
  data?: string;
  transportData?: string;
  variables?: Variables;
}

export interface ContinueParams {
  context?: string;
  extension?: string;
  priority?: number;
  label?: string;
}

export type PlaybackOperation = 'restart' | 'pause' | 'unpause' | 'reverse' | 'forward';

/** Every ARI channel operation (channels resource) plus playback control, in domain terms. */
export interface AriOperations {
  originate(p: OriginateParams, ctx: CallContext): Promise<Channel>;
  createChannel(p: CreateChannelParams, ctx: CallContext): Promise<Channel>;
  dial(id: string, p: { caller?: string; timeout?: number }, ctx: CallContext): Promise<void>;
  continueInDialplan(id: string, p: ContinueParams, ctx: CallContext): Promise<void>;
  move(id: string, p: { app: string; appArgs?: string }, ctx: CallContext): Promise<void>;
  redirect(id: string, endpoint: string, ctx: CallContext): Promise<void>;
  answer(id: string, ctx: CallContext): Promise<void>;
  ring(id: string, ctx: CallContext): Promise<void>;
  ringStop(id: string, ctx: CallContext): Promise<void>;
  progress(id: string, ctx: CallContext): Promise<void>;
  sendDtmf(id: string, p: DtmfParams, ctx: CallContext): Promise<void>;
  mute(id: string, direction: MuteDirection, ctx: CallContext): Promise<void>;
  unmute(id: string, direction: MuteDirection, ctx: CallContext): Promise<void>;
  hold(id: string, ctx: CallContext): Promise<void>;
  unhold(id: string, ctx: CallContext): Promise<void>;
  startMoh(id: string, mohClass: string | undefined, ctx: CallContext): Promise<void>;
  stopMoh(id: string, ctx: CallContext): Promise<void>;
  startSilence(id: string, ctx: CallContext): Promise<void>;
  stopSilence(id: string, ctx: CallContext): Promise<void>;
  play(id: string, p: PlayParams, ctx: CallContext): Promise<Playback>;
  record(id: string, p: RecordParams, ctx: CallContext): Promise<LiveRecording>;
  /** null when the variable is unset (ARI 404 "Provided variable was not found"). */
  getVariable(id: string, name: string, ctx: CallContext): Promise<string | null>;
  /** Throws NOT_FOUND if any is unset (ARI aborts on the first missing one). */
  getVariables(id: string, names: string[], ctx: CallContext): Promise<Record<string, string>>;
  /** value undefined unsets the variable. */
  setVariable(id: string, name: string, value: string | undefined, reportEvents: boolean | undefined, ctx: CallContext): Promise<void>;
  setVariables(id: string, vars: Variables, ctx: CallContext): Promise<void>;
  snoop(id: string, p: SnoopParams, ctx: CallContext): Promise<Channel>;
  /** null when ARI says 404 "RTP info not found"; throws UNSUPPORTED_OPERATION-like error on 403. */
  rtpStatistics(id: string, ctx: CallContext): Promise<RtpStats>;
  externalMedia(p: ExternalMediaParams, ctx: CallContext): Promise<Channel>;
  transferProgress(id: string, state: TransferProgressState, ctx: CallContext): Promise<void>;
  getPlayback(playbackId: string, ctx: CallContext): Promise<Playback | null>;
  stopPlayback(playbackId: string, ctx: CallContext): Promise<void>;
  controlPlayback(playbackId: string, operation: PlaybackOperation, ctx: CallContext): Promise<void>;
}

export interface AriBackendLike extends Backend, AriOperations {
  readonly kind: 'ari';
}
