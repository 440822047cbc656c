/**
 * ARI wire → domain. The only place where ARI shapes become patchbay shapes (DESIGN.md).
 */
import type {
  Channel,
  ChannelState,
  LiveRecording,
  Playback,
  PlaybackState,
  RecordingState,
  RtpStats,
} from '../../domain/channel';
import type * as W from './wire.generated';

/** ast_state2str strings (docs/wire/ari.md §3.1), incl. Swagger's misspelling "Rsrved" just in case. */
const CHANNEL_STATES: Record<string, ChannelState> = {
  Down: 'DOWN',
  Rsrvd: 'RESERVED',
  Rsrved: 'RESERVED',
  OffHook: 'OFF_HOOK',
  Dialing: 'DIALING',
  Ring: 'RING',
  Ringing: 'RINGING',
  Up: 'UP',
  Busy: 'BUSY',
  'Dialing Offhook': 'DIALING_OFFHOOK',
  'Pre-ring': 'PRE_RING',
  Mute: 'MUTE',
};

/** "Unknown (12)", plain "Unknown" and anything newer than this table become UNKNOWN. */
export function mapChannelState(raw: string): ChannelState {
  return CHANNEL_STATES[raw] ?? 'UNKNOWN';
}

const ARI_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

/**
 * ARI's `%FT%T.%q%z` (e.g. `2024-01-01T12:00:00.000+0000`, offset without colon, in the
 * server's local zone) → Date. Also accepts `Z` and `+hh:mm`. Throws on anything else: a bad
 * timestamp is a wire-contract violation we want to see, not a silent epoch.
 */
export function parseAriTime(raw: string): Date {
  const m = ARI_TIME.exec(raw);
  if (!m) throw new Error(`unparseable ARI timestamp ${JSON.stringify(raw)}`);
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  // Date.UTC rolls 2024-13-45 over into 2025; a wire date must be valid as written.
  const check = new Date(t);
  if (
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) ||
    check.getUTCMinutes() !== Number(mi)
  ) {
    throw new Error(`unparseable ARI timestamp ${JSON.stringify(raw)}`);
  }
  if (!z) {
    const offsetMin = Number(oh) * 60 + Number(om);
    t -= (sign === '-' ? -1 : 1) * offsetMin * 60_000;
  }
  const date = new Date(t);
  if (Number.isNaN(date.getTime())) throw new Error(`unparseable ARI timestamp ${JSON.stringify(raw)}`);
  return date;
}

function stringValues(o: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o ?? {})) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

export function mapChannel(backend: string, c: W.Channel): Channel {
  return {
    backend,
    backendKind: 'ari',
    nativeId: c.id,
    name: c.name,
    state: mapChannelState(c.state),
    rawState: c.state,
    caller: { name: c.caller?.name ?? '', number: c.caller?.number ?? '' },
    connected: { name: c.connected?.name ?? '', number: c.connected?.number ?? '' },
    accountCode: c.accountcode ?? '',
    dialplan: c.dialplan
      ? {
          context: c.dialplan.context,
          exten: c.dialplan.exten,
          priority: c.dialplan.priority,
          appName: c.dialplan.app_name,
          appData: c.dialplan.app_data,
        }
      : null,
    createdAt: parseAriTime(c.creationtime),
    language: c.language ?? null,
    protocolId: c.protocol_id ?? null,
    variables: stringValues(c.channelvars),
  };
}

const PLAYBACK_STATES: Record<string, PlaybackState> = {
  queued: 'QUEUED',
  playing: 'PLAYING',
  continuing: 'CONTINUING',
  paused: 'PAUSED',
  done: 'DONE',
  failed: 'FAILED',
};

export function mapPlayback(backend: string, p: W.Playback): Playback {
  return {
    backend,
    nativeId: p.id,
    mediaUri: p.media_uri,
    nextMediaUri: p.next_media_uri ?? null,
    targetUri: p.target_uri,
    language: p.language ?? null,
    state: PLAYBACK_STATES[p.state] ?? 'UNKNOWN',
  };
}

const RECORDING_STATES: Record<string, RecordingState> = {
  queued: 'QUEUED',
  recording: 'RECORDING',
  paused: 'PAUSED',
  done: 'DONE',
  failed: 'FAILED',
  canceled: 'CANCELED',
};

export function mapLiveRecording(backend: string, r: W.LiveRecording): LiveRecording {
  return {
    backend,
    name: r.name,
    format: r.format,
    targetUri: r.target_uri,
    state: RECORDING_STATES[r.state] ?? 'UNKNOWN',
    durationSeconds: r.duration ?? null,
    talkingDurationSeconds: r.talking_duration ?? null,
    silenceDurationSeconds: r.silence_duration ?? null,
    cause: r.cause ?? null,
  };
}

export function mapRtpStats(s: W.RTPstat): RtpStats {
  const n = (v: number | undefined): number | null => (typeof v === 'number' ? v : null);
  return {
    channelNativeId: s.channel_uniqueid,
    txCount: s.txcount,
    rxCount: s.rxcount,
    txPacketLoss: s.txploss,
    rxPacketLoss: s.rxploss,
    localSsrc: s.local_ssrc,
    remoteSsrc: s.remote_ssrc,
    txOctetCount: s.txoctetcount,
    rxOctetCount: s.rxoctetcount,
    txJitter: n(s.txjitter),
    rxJitter: n(s.rxjitter),
    remoteMaxJitter: n(s.remote_maxjitter),
    remoteMinJitter: n(s.remote_minjitter),
    remoteNormDevJitter: n(s.remote_normdevjitter),
    remoteStdevJitter: n(s.remote_stdevjitter),
    localMaxJitter: n(s.local_maxjitter),
    localMinJitter: n(s.local_minjitter),
    localNormDevJitter: n(s.local_normdevjitter),
    localStdevJitter: n(s.local_stdevjitter),
    remoteMaxRxPacketLoss: n(s.remote_maxrxploss),
    remoteMinRxPacketLoss: n(s.remote_minrxploss),
    remoteNormDevRxPacketLoss: n(s.remote_normdevrxploss),
    remoteStdevRxPacketLoss: n(s.remote_stdevrxploss),
    localMaxRxPacketLoss: n(s.local_maxrxploss),
    localMinRxPacketLoss: n(s.local_minrxploss),
    localNormDevRxPacketLoss: n(s.local_normdevrxploss),
    localStdevRxPacketLoss: n(s.local_stdevrxploss),
    rtt: n(s.rtt),
    maxRtt: n(s.maxrtt),
    minRtt: n(s.minrtt),
    normDevRtt: n(s.normdevrtt),
    stdevRtt: n(s.stdevrtt),
  };
}
