/**
 * What KAZOO puts on the wire (docs/wire/kazoo.md). Crossbar JSON is snake_case;
 * Blackhole pushes AMQP payloads normalised to snake_case. Optional everywhere KAZOO drops
 * undefined values. Nothing outside backends/kazoo imports these.
 */

// ---------------------------------------------------------------- envelope (§1.3, §1.4)

export interface CrossbarEnvelope<T = unknown> {
  data?: T;
  status?: 'success' | 'error' | string;
  /** HTTP status as a string, on errors only. */
  error?: string;
  message?: string;
  auth_token?: string;
  request_id?: string;
  revision?: string;
  node?: string;
  timestamp?: string;
  version?: string;
  page_size?: number;
  start_key?: string;
  next_start_key?: string;
}

/** A failed schema rule: `{field: {rule: {message, target?, value?, cause?}}}`. */
export interface ValidationRuleFailure {
  message?: string;
  target?: unknown;
  value?: unknown;
  cause?: unknown;
}
export type ValidationErrors = Record<string, Record<string, ValidationRuleFailure>>;

// ---------------------------------------------------------------- auth (§2)

export interface ApiAuthRequest {
  api_key: string;
}
export interface UserAuthRequest {
  credentials: string;
  account_name: string;
  method: 'md5';
}
export interface AuthResponseData {
  account_id?: string;
  owner_id?: string;
  account_name?: string;
  is_reseller?: boolean;
  reseller_id?: string;
  is_master_account?: boolean;
  [key: string]: unknown;
}
/** JWT claims we read (§2.3); `exp` is unix seconds. */
export interface TokenClaims {
  account_id?: string;
  owner_id?: string;
  method?: string;
  exp?: number;
  iss?: string;
}

// ---------------------------------------------------------------- channels (§3)

/** List form (ecallmgr_fs_channel:to_props/1 minus cb_channels delete_keys). */
export interface WireChannelListItem {
  uuid: string;
  answered?: boolean;
  direction?: 'inbound' | 'outbound';
  timestamp?: number;
  elapsed_s?: number;
  authorizing_id?: string;
  authorizing_type?: string;
  owner_id?: string;
  presence_id?: string;
  destination?: string;
  username?: string;
  other_leg?: string;
  caller_id_name?: string;
  caller_id_number?: string;
  callee_id_name?: string;
  callee_id_number?: string;
  callflow_id?: string;
  channel_authorized?: boolean;
  is_onhold?: boolean;
  is_loopback?: boolean;
  interaction_id?: string;
  custom_channel_vars?: Record<string, unknown>;
  custom_application_vars?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Detail form (to_api_props/1, normalised): different names for several fields. */
export interface WireChannelDetail {
  call_id: string;
  answered?: boolean;
  call_direction?: 'inbound' | 'outbound';
  timestamp?: number;
  elapsed_seconds?: number;
  authorizing_id?: string;
  authorizing_type?: string;
  owner_id?: string;
  presence_id?: string;
  destination?: string;
  username?: string;
  other_leg_call_id?: string;
  caller_id_name?: string;
  caller_id_number?: string;
  callee_id_name?: string;
  callee_id_number?: string;
  callflow_id?: string;
  is_on_hold?: boolean;
  is_loopback?: boolean;
  call_interaction_id?: string;
  custom_channel_vars?: Record<string, unknown>;
  custom_application_vars?: Record<string, unknown>;
  [key: string]: unknown;
}

export type WireChannel = WireChannelListItem | WireChannelDetail;

/** POST /channels/{UUID} bodies (§3.6). Note the hyphenated `transfer-type`. */
export type WireChannelAction =
  | { action: 'transfer'; target?: string; 'transfer-type'?: 'blind' | 'attended'; moh?: string; leg?: 'self' | 'bleg' }
  | { action: 'hangup' }
  | { action: 'break' }
  | { action: 'callflow'; id?: string; captures?: unknown; collected?: unknown }
  | { action: 'intercept'; target_type?: 'device' | 'user'; target_id?: string; unbridged_only?: boolean };

/** Metaflow node (schema `metaflow`, §3.7). */
export interface WireMetaflow {
  module: string;
  data?: Record<string, unknown>;
  children?: Record<string, WireMetaflow>;
}

// ---------------------------------------------------------------- websockets (§4.1)

/** GET /v2/websockets: module → binding templates. */
export type WireBindingCatalogue = Record<string, string[]>;

export interface WireWebsocketSession {
  websocket_session_id: string;
  bindings?: string[];
  /** Gregorian seconds. */
  timestamp?: number;
  destination?: string;
  source?: string;
  name?: string;
  metadata?: unknown;
}

// ---------------------------------------------------------------- qubicle recipients (§5)

export interface WireRecipientListItem {
  id: string;
  name?: string;
}

/** The user document (only what we read). */
export interface WireUserDoc {
  id: string;
  first_name?: string;
  last_name?: string;
  username?: string;
  email?: string;
  presence_id?: string;
  qubicle?: {
    enabled?: boolean;
    pin?: string;
    presence_id?: string;
    recipient?: { offering?: boolean; [key: string]: unknown };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface WireRecipientCall {
  queue_id?: string;
  session_id?: string;
  caller_id_name?: string;
  caller_id_number?: string;
  queue_enter_time?: number;
}

export interface WireRecipientStats {
  total_calls?: number;
  offered_calls?: number;
  missed_calls?: number;
  avg_call_time?: number;
  login_time?: number;
  last_action_time?: number;
  last_handled_time?: number;
}

export interface WireRecipientStatus {
  available?: boolean;
  /** "Ready" | "Away" | "Wrapup-Time" | "Call-Offer" | "On-A-Call" | "Not-Logged-In" */
  availability_state?: string;
  /** queue id → available */
  queue_availability?: Record<string, boolean> | Array<{ queue_id?: string; available?: boolean }>;
  offered_call?: WireRecipientCall | null;
  handling_call?: WireRecipientCall | null;
  wiretapping_recipient?: string | null;
  wiretap_mode?: string | null;
  wrapup_time_seconds?: number;
  stats?: WireRecipientStats;
  node?: string;
  /** Present when a batch answers with an array instead of an object keyed by id. */
  recipient_id?: string;
}

export const NOT_LOGGED_IN = 'not_logged_in';

/** POST /qubicle_recipients/status with recipient_ids: id → status | "not_logged_in". */
export type WireBatchStatus = Record<string, WireRecipientStatus | typeof NOT_LOGGED_IN>;

/** Set-status batch request: `{set_status: true, <rid>: {global?: s, <queue id>: s}}`. */
export type WireSetStatusBatch = { set_status: true } & Record<string, true | Record<string, 'ready' | 'away'>>;
/** Set-status batch answer: rid → {global|<queue id>: "ok" | "error"}. */
export type WireSetStatusResults = Record<string, Record<string, string>>;

export type WireRecipientAction =
  | { action: 'login' }
  | { action: 'logout' }
  | { action: 'wrapup_extend' }
  | { action: 'wrapup_cancel' }
  | { action: 'monitor'; target: string; mode: 'eavesdrop' | 'whisper' | 'barge' };

// ---------------------------------------------------------------- blackhole (§4.3–4.7, §5.5)

export interface BlackholeRequest {
  action: 'subscribe' | 'unsubscribe' | 'ping';
  auth_token: string;
  request_id: string;
  data: { account_id?: string; binding?: string };
}

export interface BlackholeReply {
  action: 'reply';
  request_id: string;
  status: 'success' | 'error';
  data?: {
    errors?: string[];
    subscribed?: string[];
    subscriptions?: string[];
    unsubscribed?: string[];
    response?: string;
  };
}

export interface BlackholeEventMessage<D = Record<string, unknown>> {
  action: 'event';
  /** The client's binding. */
  subscribed_key: string;
  /** The internal (account-scoped) binding it matched. */
  subscription_key?: string;
  name: string;
  routing_key: string;
  data: D;
}

export type BlackholeMessage = BlackholeReply | BlackholeEventMessage;

/** Call event payload after normalisation (§4.7). */
export interface WireCallEvent {
  call_id: string;
  event_name?: string;
  call_direction?: 'inbound' | 'outbound';
  caller_id_name?: string;
  caller_id_number?: string;
  callee_id_name?: string;
  callee_id_number?: string;
  channel_call_state?: string;
  channel_state?: string;
  other_leg_call_id?: string;
  presence_id?: string;
  timestamp?: number;
  hangup_cause?: string;
  hangup_code?: string;
  custom_channel_vars?: Record<string, unknown>;
  [key: string]: unknown;
}

/** object.* payload (kapi_conf doc update). */
export interface WireObjectEvent {
  id?: string;
  type?: string;
  account_id?: string;
  database?: string;
  rev?: string;
  event_name?: string;
  [key: string]: unknown;
}

/** qubicle.recipient payload (§5.5). */
export interface WireRecipientEvent {
  account_id?: string;
  recipient_id?: string;
  event_name?: string;
  event_timestamp?: number;
  state?: string;
  username?: string;
  reason?: string;
  stats?: WireRecipientStats;
  [key: string]: unknown;
}
