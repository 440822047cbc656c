/** Backend-neutral call model. Wire shapes are mapped into these once, in backends/<kind>/map.ts. */

export type BackendKind = 'ari' | 'kazoo';

/** Asterisk's channel states (ast_state2str) plus what KAZOO channels map onto. */
export type ChannelState =
  | 'DOWN'
  | 'RESERVED'
  | 'OFF_HOOK'
  | 'DIALING'
  | 'RING'
  | 'RINGING'
  | 'UP'
  | 'BUSY'
  | 'DIALING_OFFHOOK'
  | 'PRE_RING'
  | 'MUTE'
  | 'UNKNOWN';

export interface CallerId {
  name: string;
  number: string;
}

export interface DialplanLocation {
  context: string;
  exten: string;
  priority: number;
  appName: string;
  appData: string;
}

/** Fields only KAZOO channels carry (cb_channels list/detail). */
export interface KazooChannelFields {
  accountId: string;
  direction?: 'inbound' | 'outbound';
  answered?: boolean;
  ownerId?: string;
  authorizingId?: string;
  authorizingType?: string;
  presenceId?: string;
  destination?: string;
  username?: string;
  callee?: CallerId;
  otherLegCallId?: string;
  /** Whatever else the backend sent, for power users. */
  raw?: Record<string, unknown>;
}

export interface Channel {
  /** Backend name from config. */
  backend: string;
  backendKind: BackendKind;
  /** ARI channel id / KAZOO call-id. The global GraphQL id is `<backend>:<nativeId>`. */
  nativeId: string;
  name: string;
  state: ChannelState;
  /** The backend's own state string (e.g. "Rsrvd", "Unknown (12)", KAZOO "answered"). */
  rawState: string;
  caller: CallerId;
  connected: CallerId;
  accountCode: string;
  dialplan: DialplanLocation | null;
  createdAt: Date;
  language: string | null;
  /** ARI protocol_id (SIP Call-ID for PJSIP, "" otherwise). */
  protocolId: string | null;
  /** ARI `channelvars` (report_events variables); empty when none. */
  variables: Record<string, string>;
  kazoo?: KazooChannelFields;
}

/** ARI RTPstat in camelCase; optional doubles are null when the backend omits them. */
export interface RtpStats {
  channelNativeId: string;
  txCount: number;
  rxCount: number;
  txPacketLoss: number;
  rxPacketLoss: number;
  localSsrc: number;
  remoteSsrc: number;
  txOctetCount: number;
  rxOctetCount: number;
  txJitter: number | null;
  rxJitter: number | null;
  remoteMaxJitter: number | null;
  remoteMinJitter: number | null;
  remoteNormDevJitter: number | null;
  remoteStdevJitter: number | null;
  localMaxJitter: number | null;
  localMinJitter: number | null;
  localNormDevJitter: number | null;
  localStdevJitter: number | null;
  remoteMaxRxPacketLoss: number | null;
  remoteMinRxPacketLoss: number | null;
  remoteNormDevRxPacketLoss: number | null;
  remoteStdevRxPacketLoss: number | null;
  localMaxRxPacketLoss: number | null;
  localMinRxPacketLoss: number | null;
  localNormDevRxPacketLoss: number | null;
  localStdevRxPacketLoss: number | null;
  rtt: number | null;
  maxRtt: number | null;
  minRtt: number | null;
  normDevRtt: number | null;
  stdevRtt: number | null;
}

export type PlaybackState = 'QUEUED' | 'PLAYING' | 'CONTINUING' | 'PAUSED' | 'DONE' | 'FAILED' | 'UNKNOWN';

export interface Playback {
  backend: string;
  nativeId: string;
  mediaUri: string;
  nextMediaUri: string | null;
  targetUri: string;
  language: string | null;
  state: PlaybackState;
}

export type RecordingState = 'QUEUED' | 'RECORDING' | 'PAUSED' | 'DONE' | 'FAILED' | 'CANCELED' | 'UNKNOWN';

export interface LiveRecording {
  backend: string;
  name: string;
  format: string;
  targetUri: string;
  state: RecordingState;
  durationSeconds: number | null;
  talkingDurationSeconds: number | null;
  silenceDurationSeconds: number | null;
  cause: string | null;
}
