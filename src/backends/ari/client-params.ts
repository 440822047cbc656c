/**
 * Parameters of the ARI operations under their wire names (channels.json, playbacks.json),
 * as the client sends them. Lists are arrays here; encoding.buildQuery comma-joins them.
 */
import type { WireVariables } from './encoding';

export interface OriginateQuery {
  endpoint: string;
  extension?: string;
  context?: string;
  priority?: number;
  label?: string;
  app?: string;
  appArgs?: string;
  callerId?: string;
  timeout?: number;
  otherChannelId?: string;
  originator?: string;
  formats?: string[];
}

export interface OriginateParams extends OriginateQuery {
  /** Only for `originate` (POST /channels); originateWithId takes it from the path. */
  channelId?: string;
  variables?: WireVariables;
}

export interface CreateParams {
  endpoint: string;
  app: string;
  appArgs?: string;
  channelId?: string;
  otherChannelId?: string;
  originator?: string;
  formats?: string[];
  variables?: WireVariables;
}

export interface HangupQuery {
  reason_code?: string;
  reason?: string;
}

export interface ContinueQuery {
  context?: string;
  extension?: string;
  priority?: number;
  label?: string;
}

export interface MoveQuery {
  app: string;
  appArgs?: string;
}

export interface DtmfQuery {
  dtmf: string;
  before?: number;
  between?: number;
  duration?: number;
  after?: number;
}

export interface PlayQuery {
  media: string[];
  lang?: string;
  offsetms?: number;
  skipms?: number;
  /** Only for `play`; playWithId takes it from the path. */
  playbackId?: string;
}

export interface RecordQuery {
  name: string;
  format: string;
  maxDurationSeconds?: number;
  maxSilenceSeconds?: number;
  ifExists?: string;
  beep?: boolean;
  terminateOn?: string;
}

export interface SetVarQuery {
  variable: string;
  /** Absent unsets the variable. */
  value?: string;
  report_events?: boolean;
}

export interface SnoopQuery {
  spy?: string;
  whisper?: string;
  app: string;
  appArgs?: string;
  /** Only for `snoopChannel`; snoopChannelWithId takes it from the path. */
  snoopId?: string;
}

export interface DialQuery {
  caller?: string;
  timeout?: number;
}

export interface ExternalMediaParams {
  channelId?: string;
  app: string;
  external_host?: string;
  encapsulation?: string;
  transport?: string;
  connection_type?: string;
  format: string;
  direction?: string;
  data?: string;
  transport_data?: string;
  variables?: WireVariables;
}
