/**
 * KAZOO as a patchbay backend: Crossbar for reads and actions, Blackhole for events.
 * Operations are delegated to ChannelOps and RecipientOps; this class wires config, lifecycle,
 * health, websockets and events.
 */
import type { KazooBackendConfig } from '../../config';
import type { Channel } from '../../domain/channel';
import { BackendError, ErrorCode } from '../../domain/errors';
import type {
  Recipient,
  RecipientConfig,
  RecipientStatus,
  RecipientStatusValue,
  SetRecipientStatusItem,
  SetRecipientStatusResult,
} from '../../domain/recipient';
import type { WebsocketBindingGroup, WebsocketSession } from '../../domain/websocket-session';
import { componentLogger } from '../../log';
import type { Backend, BackendEventSource, BackendHealth, CallContext, HangupOptions } from '../types';
import { BlackholeClient } from './blackhole';
import { ChannelOps } from './channel-ops';
import { KazooEventSource } from './event-source';
import { KazooClient } from './client';
import { mapBindingCatalogue, mapBlackholeEvent, mapOneWebsocketSession, mapWebsocketSession } from './map';
import type {
  InterceptParams,
  KazooBackendLike,
  KazooChannelFilter,
  KazooEvent,
  Metaflow,
  MonitorParams,
  TransferParams,
} from './operations';
import { RecipientConfigCache, bindingsCoverUserDocs, type ConfigCoverage } from './recipient-config-cache';
import { RecipientOps } from './recipient-ops';
import { requireHexId, requireNonEmpty } from './validate';

export interface KazooBackendOptions {
  /** Blackhole bindings; default call.*.*, object.*.*, qubicle.recipient. */
  bindings?: readonly string[];
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  replyTimeoutMs?: number;
  pingIntervalMs?: number;
  /** Skip the probe: whether GET /v2/channels is allowed for this backend's token. */
  systemWideChannels?: boolean;
  tokenRefreshMarginMs?: number;
  statusBatchSize?: number;
  /** Recipient configs kept while Blackhole reports user-document changes; 0 = none. Default 10,000. */
  recipientConfigCacheSize?: number;
  /**
   * Other accounts (descendants of the configured one) whose user-document events Blackhole is
   * asked for, so their recipients' configs can be kept too; 0 = the configured account only. Default 100.
   */
  maxWatchedAccounts?: number;
}

export class KazooBackend implements Backend, KazooBackendLike {
  readonly kind = 'kazoo' as const;
  readonly name: string;
  readonly url: string;
  readonly accountId: string;
  /** Wire-level client, for diagnostics and tests; the GraphQL layer uses the methods below. */
  readonly client: KazooClient;
  private readonly blackhole: BlackholeClient | null;
  private readonly channels: ChannelOps;
  private readonly recipients: RecipientOps;
  private readonly configCache: RecipientConfigCache | null;
  private stopped = false;
  private readonly log;
  /** Reads this backend's events and recipients only when called, so it may be built first. */
  readonly eventSource: BackendEventSource = new KazooEventSource(this);

  constructor(config: KazooBackendConfig, options: KazooBackendOptions = {}) {
    this.name = config.name;
    this.url = config.url;
    this.accountId = config.accountId;
    this.log = componentLogger('kazoo.backend', { backend: config.name });
    this.client = new KazooClient({
      backend: config.name,
      baseUrl: config.url,
      timeoutMs: config.requestTimeoutMs,
      apiKey: config.apiKey,
      credentials: config.credentials,
      refreshMarginMs: options.tokenRefreshMarginMs,
    });
    this.channels = new ChannelOps(this.client, config.name, config.accountId, options.systemWideChannels);
    const tokens = this.client.http.tokens;
    this.blackhole = config.blackholeUrl
      ? new BlackholeClient({
          backend: config.name,
          url: config.blackholeUrl,
          accountId: config.accountId,
          bindings: options.bindings,
          getToken: () => tokens.getToken(),
          invalidateToken: (t) => tokens.invalidate(t),
          backoffBaseMs: options.backoffBaseMs,
          backoffMaxMs: options.backoffMaxMs,
          replyTimeoutMs: options.replyTimeoutMs,
          pingIntervalMs: options.pingIntervalMs,
          maxWatchedAccounts: options.maxWatchedAccounts,
        })
      : null;
    this.configCache = this.blackhole
      ? this.recipientConfigCache(this.blackhole, options.recipientConfigCacheSize)
      : null;
    this.recipients = new RecipientOps(this.client, config.name, options.statusBatchSize, this.configCache);
  }

  /**
   * Recipient configs are cached only where Blackhole tells us of user-document changes: the
   * configured account when its bindings cover them, and accounts watched on this socket.
   */
  private recipientConfigCache(blackhole: BlackholeClient, size: number | undefined): RecipientConfigCache {
    const covers = (accountId: string) =>
      blackhole.connected &&
      (accountId === this.accountId
        ? bindingsCoverUserDocs(blackhole.subscriptions())
        : blackhole.isWatching(accountId));
    const coverage: ConfigCoverage = {
      covers,
      ensure: async (accountId) =>
        covers(accountId) ||
        (accountId !== this.accountId && (await blackhole.watchAccount(accountId)) && covers(accountId)),
    };
    const cache = new RecipientConfigCache(coverage, size);
    // Registered before anyone else's listeners: by the time they see an event, the cache has.
    blackhole.onEvent((msg) => cache.onBlackholeEvent(msg, this.accountId));
    blackhole.onStateChange(() => cache.clear());
    return cache;
  }

  /** Recipient configs held now (diagnostics and tests). */
  cachedRecipientConfigs(): number {
    return this.configCache?.size ?? 0;
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    if (!this.blackhole) {
      this.log.info('no blackholeUrl configured: no live events from this backend');
      return;
    }
    await this.blackhole.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.blackhole?.close();
    this.client.close();
  }

  health(): BackendHealth {
    if (!this.blackhole)
      return {
        connected: false,
        lastEventAt: null,
        lastConnectedAt: null,
        reconnects: 0,
        lastError: 'no blackholeUrl configured',
      };
    return this.blackhole.health();
  }

  onEvent(listener: (e: KazooEvent) => void): () => void {
    if (!this.blackhole) return () => undefined;
    return this.blackhole.onEvent((msg) => {
      const e = mapBlackholeEvent(this.name, this.accountId, msg);
      // Other accounts' object events come from watchAccount, which serves the config cache only.
      if (e.type === 'object' && e.accountId !== this.accountId) return;
      listener(e);
    });
  }

  /** true once (re)subscribed, false when the event socket is lost (resync from REST). */
  onConnectionChange(listener: (connected: boolean) => void): () => void {
    if (!this.blackhole) return () => undefined;
    return this.blackhole.onStateChange(listener);
  }

  /** Bindings Blackhole confirmed on the current socket. */
  activeBindings(): string[] {
    return this.blackhole?.subscriptions() ?? [];
  }

  // ------------------------------------------------------------ channels

  listChannels(ctx: CallContext, filter?: KazooChannelFilter): Promise<Channel[]> {
    return this.channels.list(ctx, filter);
  }
  canListSystemWide(ctx: CallContext): Promise<boolean> {
    return this.channels.canListSystemWide(ctx);
  }
  getChannel(callId: string, ctx: CallContext, accountId?: string): Promise<Channel | null> {
    return this.channels.get(callId, ctx, accountId);
  }
  hangupChannel(callId: string, opts: HangupOptions, ctx: CallContext, accountId?: string): Promise<void> {
    if (opts.reason !== undefined || opts.reasonCode !== undefined) {
      this.log.debug({ callId, reason: opts.reason }, 'KAZOO hangup takes no cause; reason not sent');
    }
    return this.channels.hangup(callId, ctx, accountId);
  }
  transferChannel(callId: string, p: TransferParams, ctx: CallContext, accountId?: string): Promise<void> {
    return this.channels.transfer(callId, p, ctx, accountId);
  }
  breakChannel(callId: string, ctx: CallContext, accountId?: string): Promise<void> {
    return this.channels.break(callId, ctx, accountId);
  }
  sendToCallflow(callId: string, callflowId: string, ctx: CallContext, accountId?: string): Promise<void> {
    return this.channels.sendToCallflow(callId, callflowId, ctx, accountId);
  }
  interceptChannel(callId: string, p: InterceptParams, ctx: CallContext, accountId?: string): Promise<void> {
    return this.channels.intercept(callId, p, ctx, accountId);
  }
  runMetaflow(callId: string, metaflow: Metaflow, ctx: CallContext, accountId?: string): Promise<void> {
    return this.channels.metaflow(callId, metaflow, ctx, accountId);
  }

  // ------------------------------------------------------------ recipients

  listRecipients(accountId: string, ctx: CallContext): Promise<Recipient[]> {
    return this.recipients.list(accountId, ctx);
  }
  getRecipient(accountId: string, userId: string, ctx: CallContext): Promise<Recipient | null> {
    return this.recipients.get(accountId, userId, ctx);
  }
  getRecipientConfig(accountId: string, userId: string, ctx: CallContext): Promise<RecipientConfig | null> {
    return this.recipients.config(accountId, userId, ctx);
  }
  recipientStatuses(
    accountId: string,
    userIds: readonly string[],
    ctx: CallContext,
  ): Promise<(RecipientStatus | null)[]> {
    return this.recipients.statuses(accountId, userIds, ctx);
  }
  loginRecipient(accountId: string, userId: string, ctx: CallContext): Promise<void> {
    return this.recipients.login(accountId, userId, ctx);
  }
  logoutRecipient(accountId: string, userId: string, ctx: CallContext): Promise<void> {
    return this.recipients.logout(accountId, userId, ctx);
  }
  setRecipientStatus(
    accountId: string,
    userId: string,
    status: RecipientStatusValue,
    ctx: CallContext,
    queueId?: string,
  ): Promise<void> {
    return this.recipients.setStatus(accountId, userId, status, ctx, queueId);
  }
  setRecipientStatuses(
    accountId: string,
    items: readonly SetRecipientStatusItem[],
    ctx: CallContext,
  ): Promise<SetRecipientStatusResult[]> {
    return this.recipients.setStatuses(accountId, items, ctx);
  }
  extendWrapup(accountId: string, userId: string, ctx: CallContext): Promise<void> {
    return this.recipients.extendWrapup(accountId, userId, ctx);
  }
  cancelWrapup(accountId: string, userId: string, ctx: CallContext): Promise<void> {
    return this.recipients.cancelWrapup(accountId, userId, ctx);
  }
  monitorRecipient(accountId: string, userId: string, p: MonitorParams, ctx: CallContext): Promise<void> {
    return this.recipients.monitor(accountId, userId, p, ctx);
  }

  // ------------------------------------------------------------ websockets

  async websocketBindings(ctx: CallContext): Promise<WebsocketBindingGroup[]> {
    return mapBindingCatalogue(await this.client.websocketCatalogue(ctx));
  }
  async websocketSessions(accountId: string, ctx: CallContext): Promise<WebsocketSession[]> {
    requireHexId(accountId, 'accountId');
    const list = await this.client.websocketSessions(accountId, ctx);
    return list.map((w) => mapWebsocketSession(this.name, accountId, w));
  }
  async websocketSession(accountId: string, sessionId: string, ctx: CallContext): Promise<WebsocketSession | null> {
    requireHexId(accountId, 'accountId');
    requireNonEmpty(sessionId, 'sessionId');
    try {
      return mapOneWebsocketSession(
        this.name,
        accountId,
        await this.client.websocketSession(accountId, sessionId, ctx),
      );
    } catch (e) {
      if (e instanceof BackendError && e.code === ErrorCode.NOT_FOUND) return null;
      throw e;
    }
  }
}
