/**
 * Call-center agents ("recipients" in KAZOO Qubicle) in backend-neutral terms.
 * A recipient is a user; its id is the user id. Wire shapes are mapped in backends/kazoo/map.ts.
 */

/** Qubicle's availability states ("Ready", "Wrapup-Time", ...) in SCREAMING_SNAKE. */
export type AvailabilityState =
  | 'NOT_LOGGED_IN'
  | 'READY'
  | 'AWAY'
  | 'CALL_OFFER'
  | 'ON_A_CALL'
  | 'WRAPUP_TIME'
  /** A state this gateway does not know yet; see RecipientStatus.rawAvailabilityState. */
  | 'UNKNOWN';

export const AVAILABILITY_STATES: readonly AvailabilityState[] = [
  'NOT_LOGGED_IN',
  'READY',
  'AWAY',
  'CALL_OFFER',
  'ON_A_CALL',
  'WRAPUP_TIME',
  'UNKNOWN',
];

export type WiretapMode = 'eavesdrop' | 'whisper' | 'barge';

export interface QueueAvailability {
  queueId: string;
  available: boolean;
}

/** A queue call offered to or handled by a recipient. */
export interface RecipientCall {
  queueId: string | null;
  sessionId: string | null;
  callerIdName: string | null;
  callerIdNumber: string | null;
  queueEnterTime: Date | null;
}

export interface RecipientStats {
  totalCalls: number;
  /** Not in every Qubicle version; null when absent. */
  offeredCalls: number | null;
  missedCalls: number;
  avgCallTimeSeconds: number;
  loginTime: Date | null;
  lastActionTime: Date | null;
  lastHandledTime: Date | null;
}

/** Live state of a logged-in recipient (Qubicle `/status`). */
export interface RecipientStatus {
  available: boolean;
  availabilityState: AvailabilityState;
  /** The backend's own string, e.g. "Wrapup-Time". */
  rawAvailabilityState: string;
  /** Per-queue availability flags, only where one was set. */
  queueAvailability: QueueAvailability[];
  offeredCall: RecipientCall | null;
  handlingCall: RecipientCall | null;
  /** The recipient this one is wiretapping (monitoring), if any. */
  wiretappingRecipientId: string | null;
  wiretapMode: WiretapMode | null;
  /** Seconds left in wrap-up; 0 when not in wrap-up. */
  wrapupTimeSeconds: number;
  stats: RecipientStats;
  /** Node the recipient process runs on. */
  node: string | null;
}

/** The parts of the user document that matter to the call center. */
export interface RecipientConfig {
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  email: string | null;
  presenceId: string | null;
  /** user.qubicle.enabled */
  enabled: boolean;
  /** user.qubicle.recipient.offering, when set. */
  offering: boolean | null;
  /** Whether a login PIN is configured (the PIN itself is never exposed). */
  hasPin: boolean;
  /** The user's `qubicle` object minus the PIN, for power users. */
  raw: Record<string, unknown>;
}

export interface Recipient {
  backend: string;
  accountId: string;
  /** The user id (32 hex). The global GraphQL id is `<backend>:<nativeId>`. */
  nativeId: string;
  name: string;
  /** null when only the listing was read (it carries id and name only). */
  config: RecipientConfig | null;
  /** null when the recipient is not logged in. */
  status: RecipientStatus | null;
}

export type RecipientStatusValue = 'ready' | 'away';

export interface SetRecipientStatusItem {
  userId: string;
  status: RecipientStatusValue;
  /** Only this queue; the global status when absent. */
  queueId?: string;
}

/** One line of a batch status change: one per (recipient, queue-or-global). */
export interface SetRecipientStatusResult {
  userId: string;
  queueId: string | null;
  status: RecipientStatusValue;
  ok: boolean;
  /** The backend's word when not ok ("error"), or why no answer came back. */
  error: string | null;
}

/** A Qubicle recipient event (Blackhole `qubicle.recipient`). */
export interface RecipientEvent {
  backend: string;
  accountId: string;
  recipientId: string;
  /** Backend event name: create (login), delete (logout), ready, away, offer, delivered, reject... */
  name: string;
  /** State after the event where the backend says it; NOT_LOGGED_IN after a logout. */
  availabilityState: AvailabilityState | null;
  at: Date;
  raw: Record<string, unknown>;
}
