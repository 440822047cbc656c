/**
 * What a KAZOO backend offers beyond `Backend`, in domain terms. The GraphQL layer is written
 * against this interface; wire shapes never appear here.
 *
 * Account scoping: channel operations act in the backend's configured account unless an
 * `accountId` is given (sub-accounts); recipient and websocket operations name the account
 * explicitly (`backend.accountId` is the default to pass).
 */
import type { Channel } from '../../domain/channel';
import type {
  Recipient,
  RecipientConfig,
  RecipientEvent,
  RecipientStatus,
  RecipientStatusValue,
  SetRecipientStatusItem,
  SetRecipientStatusResult,
  WiretapMode,
} from '../../domain/recipient';
import type { WebsocketBindingGroup, WebsocketSession } from '../../domain/websocket-session';
import type { Backend, CallContext, HangupOptions } from '../types';

export interface KazooChannelFilter {
  /** Default: the backend's account. Ignored when systemWide. */
  accountId?: string;
  /** Channels of this user's devices. Exclusive with deviceId. */
  userId?: string;
  deviceId?: string;
  /** GET /v2/channels; refused with FORBIDDEN unless canListSystemWide() is true. */
  systemWide?: boolean;
}

export interface TransferParams {
  /** Extension/DID to transfer to. */
  target: string;
  /** Default blind. */
  type?: 'blind' | 'attended';
  /** Which leg to act on; default self. */
  leg?: 'self' | 'bleg';
  /** Music on hold (media id) while transferring. */
  moh?: string;
}

export interface InterceptParams {
  targetType: 'device' | 'user';
  targetId: string;
  /** Only intercept when the channel is not bridged yet. */
  unbridgedOnly?: boolean;
}

/** A metaflow node: the module to run, its data, and children keyed by branch. */
export interface Metaflow {
  module: string;
  data?: Record<string, unknown>;
  children?: Record<string, Metaflow>;
}

export interface MonitorParams {
  /** The recipient (user id) to listen to. */
  target: string;
  /** Default eavesdrop. */
  mode?: WiretapMode;
}

interface EventBase {
  backend: string;
  /** Backend event name (CHANNEL_CREATE, doc_edited, create...). */
  name: string;
  /** Blackhole routing key and the binding it matched. */
  routingKey: string;
  subscribedKey: string;
  at: Date;
  receivedAt: Date;
  raw: Record<string, unknown>;
}

export interface KazooCallEvent extends EventBase {
  type: 'call';
  accountId: string;
  callId: string;
  /** The channel as this event describes it (state DOWN after CHANNEL_DESTROY). */
  channel: Channel;
  hangupCause: string | null;
}

export interface KazooObjectEvent extends EventBase {
  type: 'object';
  accountId: string;
  /** doc_created | doc_edited | doc_deleted */
  action: string;
  docType: string | null;
  docId: string | null;
}

export interface KazooRecipientEvent extends EventBase {
  type: 'recipient';
  recipient: RecipientEvent;
}

export interface KazooOtherEvent extends EventBase {
  type: 'other';
}

export type KazooEvent = KazooCallEvent | KazooObjectEvent | KazooRecipientEvent | KazooOtherEvent;

export interface KazooOperations {
  /** The account from config; default for every account-scoped call. */
  readonly accountId: string;

  /** Extends Backend.listChannels with filters (a second, optional argument). */
  listChannels(ctx: CallContext, filter?: KazooChannelFilter): Promise<Channel[]>;
  /**
   * Whether this backend's token may list channels system-wide (superduper admin and
   * system_wide_channels_list). Probed once with GET /v2/channels unless configured.
   */
  canListSystemWide(ctx: CallContext): Promise<boolean>;
  getChannel(callId: string, ctx: CallContext, accountId?: string): Promise<Channel | null>;
  /** KAZOO's hangup takes no cause: HangupOptions are accepted for Backend parity and not sent. */
  hangupChannel(callId: string, opts: HangupOptions, ctx: CallContext, accountId?: string): Promise<void>;
  transferChannel(callId: string, p: TransferParams, ctx: CallContext, accountId?: string): Promise<void>;
  /** Break the channel out of its current callflow. */
  breakChannel(callId: string, ctx: CallContext, accountId?: string): Promise<void>;
  sendToCallflow(callId: string, callflowId: string, ctx: CallContext, accountId?: string): Promise<void>;
  interceptChannel(callId: string, p: InterceptParams, ctx: CallContext, accountId?: string): Promise<void>;
  /** Validated with validateMetaflow before sending (BAD_USER_INPUT with the issues). */
  runMetaflow(callId: string, metaflow: Metaflow, ctx: CallContext, accountId?: string): Promise<void>;

  /** Listing plus one batch status POST. */
  listRecipients(accountId: string, ctx: CallContext): Promise<Recipient[]>;
  /** User document plus status; null when KAZOO says 404. */
  getRecipient(accountId: string, userId: string, ctx: CallContext): Promise<Recipient | null>;
  /** User document only (one GET; Crossbar has no batch form); null when KAZOO says 404. */
  getRecipientConfig(accountId: string, userId: string, ctx: CallContext): Promise<RecipientConfig | null>;
  /** One batch POST; results aligned with userIds, null = not logged in. */
  recipientStatuses(
    accountId: string,
    userIds: readonly string[],
    ctx: CallContext,
  ): Promise<(RecipientStatus | null)[]>;
  loginRecipient(accountId: string, userId: string, ctx: CallContext): Promise<void>;
  logoutRecipient(accountId: string, userId: string, ctx: CallContext): Promise<void>;
  setRecipientStatus(
    accountId: string,
    userId: string,
    status: RecipientStatusValue,
    ctx: CallContext,
    queueId?: string,
  ): Promise<void>;
  /** One batch POST; one result per item, in order. Duplicate (user, queue) pairs are refused. */
  setRecipientStatuses(
    accountId: string,
    items: readonly SetRecipientStatusItem[],
    ctx: CallContext,
  ): Promise<SetRecipientStatusResult[]>;
  extendWrapup(accountId: string, userId: string, ctx: CallContext): Promise<void>;
  cancelWrapup(accountId: string, userId: string, ctx: CallContext): Promise<void>;
  /** `userId` (the supervisor) starts monitoring `p.target`. Outcome arrives as events only. */
  monitorRecipient(accountId: string, userId: string, p: MonitorParams, ctx: CallContext): Promise<void>;

  websocketBindings(ctx: CallContext): Promise<WebsocketBindingGroup[]>;
  websocketSessions(accountId: string, ctx: CallContext): Promise<WebsocketSession[]>;
  /** null for an unknown session (404 or KAZOO's empty answer). */
  websocketSession(accountId: string, sessionId: string, ctx: CallContext): Promise<WebsocketSession | null>;

  /** Blackhole events, mapped; returns the unsubscribe function. */
  onEvent(listener: (e: KazooEvent) => void): () => void;
}

/**
 * A KAZOO backend: Backend plus KazooOperations. The three channel methods Backend also has
 * take extra optional arguments here, so they come from KazooOperations (a KazooBackendLike
 * is still assignable to Backend).
 */
export interface KazooBackendLike
  extends KazooOperations, Omit<Backend, 'listChannels' | 'getChannel' | 'hangupChannel' | 'kind'> {
  readonly kind: 'kazoo';
}
