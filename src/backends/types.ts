/**
 * What the GraphQL layer and the events layer may ask of a backend. Implementations live in
 * backends/<kind>/backend.ts and speak domain types only; wire shapes never leave backends/<kind>.
 */
import type { BackendKind, Channel, LiveRecording, Playback, RtpStats } from '../domain/channel';
import type { AgentEvent, NormalizedEvent } from '../domain/events';
import type { AvailabilityState } from '../domain/recipient';
import type { RecipientKey } from '../domain/recipient-key';

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
  /** What ingest (events/ingest.ts) listens to and reconciles with. */
  readonly eventSource: BackendEventSource;
}

/**
 * One event off a backend's event socket, already in domain terms. Its domain events depend on
 * what was known of its channel just before it (a ChannelCreated for an already-listed channel
 * is only a state change), so ingest asks for them when it applies the event, which during a
 * reconcile is after the event was placed against the channel list by the other fields.
 */
export interface BackendEvent {
  /** The channel the event is about, when it is about one. */
  readonly channelId?: string;
  /** The channel as the event saw it, when the event carries a snapshot. */
  readonly snapshot: Channel | null;
  /** The event ends its channel. */
  readonly destroys: boolean;
  /**
   * A snapshot for a channel the live view already holds, also when the event stands for no
   * domain event (ARI ChannelDialplan, ChannelCallerId...); null when the event's snapshot is
   * partial and must not replace what is known (KAZOO).
   */
  readonly refresh: Channel | null;
  /** The domain events it stands for, given the channel (by native id) as known before it. */
  toDomain(previous: (channelId: string) => Channel | undefined): NormalizedEvent[];
}

/** Agent transitions a reconcile found, and the availability per agent it found them from. */
export interface AgentReconcile {
  events: AgentEvent[];
  states: Map<RecipientKey, AvailabilityState>;
}

/** The events side of a backend, as ingest uses it; each kind maps its wire here, once. */
export interface BackendEventSource {
  /** Every event of the socket, in arrival order; returns the unsubscribe function. */
  onEvent(listener: (e: BackendEvent) => void): () => void;
  /** true on every (re)connect: nothing is replayed, so state is re-read then; false on a loss. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  /** Runs before a reconcile lists channels, so that nothing after the list goes unheard. */
  prepareReconcile(ctx: CallContext): Promise<void>;
  /**
   * Ingest leads again after another instance did: make the event stream this instance's.
   * "reconnecting": the socket reconnects and onConnectionChange(true) follows; "kept": the
   * socket stays as it is and nothing follows, so the caller reconciles itself.
   */
  reclaim(): 'reconnecting' | 'kept';
  /** Agent state missed while the socket was down, diffed with `known`; null when the kind has no agents. */
  reconcileAgents(
    known: ReadonlyMap<RecipientKey, AvailabilityState>,
    now: Date,
    ctx: CallContext,
  ): Promise<AgentReconcile | null>;
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
  'channel_progress' | 'channel_answered' | 'channel_unavailable' | 'channel_declined';

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
  setVariable(
    id: string,
    name: string,
    value: string | undefined,
    reportEvents: boolean | undefined,
    ctx: CallContext,
  ): Promise<void>;
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
