/** KAZOO channel operations in domain terms (listing, detail, POST actions, PUT metaflow). */
import type { Channel } from '../../domain/channel';
import { BackendError, ErrorCode, PatchbayError, badInput } from '../../domain/errors';
import { componentLogger } from '../../log';
import type { CallContext } from '../types';
import type { KazooClient } from './client';
import { mapChannel } from './map';
import { metaflowError } from './metaflow';
import type { InterceptParams, KazooChannelFilter, Metaflow, TransferParams } from './operations';
import { requireCallId, requireHexId, requireNonEmpty, requireOneOf } from './validate';
import type { WireChannelAction } from './wire';

/** Unknown call-ids make real KAZOO time out (503 "datastore timeout" after ~2 s, §3.5). */
function isDatastoreTimeout(e: unknown): e is BackendError {
  return e instanceof BackendError && e.backendStatus === 503 && /datastore timeout/i.test(e.backendMessage ?? '');
}

export class ChannelOps {
  private systemWide: Promise<boolean> | null = null;
  private readonly log;

  constructor(
    private readonly client: KazooClient,
    private readonly backend: string,
    private readonly defaultAccountId: string,
    systemWideChannels: boolean | undefined,
  ) {
    if (systemWideChannels !== undefined) this.systemWide = Promise.resolve(systemWideChannels);
    this.log = componentLogger('kazoo.channels', { backend });
  }

  async list(ctx: CallContext, filter: KazooChannelFilter = {}): Promise<Channel[]> {
    if (filter.userId !== undefined && filter.deviceId !== undefined)
      throw badInput('give userId or deviceId, not both');
    if (filter.systemWide) {
      if (filter.accountId !== undefined || filter.userId !== undefined || filter.deviceId !== undefined) {
        throw badInput('systemWide cannot be combined with accountId, userId or deviceId');
      }
      if (!(await this.canListSystemWide(ctx))) {
        throw new PatchbayError(
          ErrorCode.FORBIDDEN,
          `backend ${this.backend} may not list channels system-wide (needs a superduper-admin token and system_wide_channels_list)`,
          { backend: this.backend },
        );
      }
      const wire = await this.client.systemChannels(ctx);
      return wire.map((w) => mapChannel(this.backend, w, undefined));
    }
    const accountId = requireHexId(filter.accountId ?? this.defaultAccountId, 'accountId');
    const wire =
      filter.userId !== undefined
        ? await this.client.userChannels(accountId, requireHexId(filter.userId, 'userId'), ctx)
        : filter.deviceId !== undefined
          ? await this.client.deviceChannels(accountId, requireHexId(filter.deviceId, 'deviceId'), ctx)
          : await this.client.accountChannels(accountId, ctx);
    return wire.map((w) => mapChannel(this.backend, w, accountId));
  }

  /**
   * Probed with GET /v2/channels. 403 (not a superduper admin) is final and cached. 500 is what
   * KAZOO answers while system_wide_channels_list is off ("could not reach ecallmgr channels"):
   * no, but not cached, since an operator can turn the flag on. Other failures propagate.
   */
  canListSystemWide(ctx: CallContext): Promise<boolean> {
    if (this.systemWide) return this.systemWide;
    const probe = this.client.systemChannels(ctx).then(
      () => true,
      (e: unknown) => {
        if (e instanceof BackendError && e.backendStatus === 403) return false;
        this.systemWide = null;
        if (e instanceof BackendError && e.backendStatus === 500) return false;
        throw e;
      },
    );
    this.systemWide = probe;
    return probe;
  }

  async get(callId: string, ctx: CallContext, accountId?: string): Promise<Channel | null> {
    const account = requireHexId(accountId ?? this.defaultAccountId, 'accountId');
    requireCallId(callId);
    try {
      return mapChannel(this.backend, await this.client.channel(account, callId, ctx), account);
    } catch (e) {
      if (e instanceof BackendError && e.code === ErrorCode.NOT_FOUND) return null;
      if (isDatastoreTimeout(e) && (await this.absentFromList(account, callId, ctx))) return null;
      throw e;
    }
  }

  async hangup(callId: string, ctx: CallContext, accountId?: string): Promise<void> {
    return this.action(callId, { action: 'hangup' }, ctx, accountId);
  }

  async break(callId: string, ctx: CallContext, accountId?: string): Promise<void> {
    return this.action(callId, { action: 'break' }, ctx, accountId);
  }

  async transfer(callId: string, p: TransferParams, ctx: CallContext, accountId?: string): Promise<void> {
    const body: WireChannelAction = {
      action: 'transfer',
      target: requireNonEmpty(p.target, 'target'),
      'transfer-type': requireOneOf(p.type ?? 'blind', ['blind', 'attended'] as const, 'type'),
    };
    // cb_channels forwards the whole data object to Konami; `leg` is the metaflow transfer's key.
    if (p.leg !== undefined) body.leg = requireOneOf(p.leg, ['self', 'bleg'] as const, 'leg');
    if (p.moh !== undefined) body.moh = requireNonEmpty(p.moh, 'moh');
    return this.action(callId, body, ctx, accountId);
  }

  async sendToCallflow(callId: string, callflowId: string, ctx: CallContext, accountId?: string): Promise<void> {
    return this.action(callId, { action: 'callflow', id: requireHexId(callflowId, 'callflowId') }, ctx, accountId);
  }

  async intercept(callId: string, p: InterceptParams, ctx: CallContext, accountId?: string): Promise<void> {
    const body: WireChannelAction = {
      action: 'intercept',
      target_type: requireOneOf(p.targetType, ['device', 'user'] as const, 'targetType'),
      target_id: requireHexId(p.targetId, 'targetId'),
      unbridged_only: p.unbridgedOnly === true,
    };
    return this.action(callId, body, ctx, accountId);
  }

  async metaflow(callId: string, flow: Metaflow, ctx: CallContext, accountId?: string): Promise<void> {
    const invalid = metaflowError(flow);
    if (invalid) throw invalid;
    const account = requireHexId(accountId ?? this.defaultAccountId, 'accountId');
    requireCallId(callId);
    try {
      await this.client.channelMetaflow(account, callId, flow, ctx);
    } catch (e) {
      throw await this.explainMissing(e, account, callId, ctx);
    }
  }

  private async action(callId: string, body: WireChannelAction, ctx: CallContext, accountId?: string): Promise<void> {
    const account = requireHexId(accountId ?? this.defaultAccountId, 'accountId');
    requireCallId(callId);
    try {
      const said = await this.client.channelAction(account, callId, body, ctx);
      this.log.info({ callId, action: body.action, said, requestId: ctx.requestId }, 'channel action sent');
    } catch (e) {
      throw await this.explainMissing(e, account, callId, ctx);
    }
  }

  /** Turns KAZOO's timeout-for-unknown-channel into NOT_FOUND when the channel is really gone. */
  private async explainMissing(e: unknown, accountId: string, callId: string, ctx: CallContext): Promise<unknown> {
    if (!isDatastoreTimeout(e) || !(await this.absentFromList(accountId, callId, ctx))) return e;
    return new BackendError(
      ErrorCode.NOT_FOUND,
      `channel ${callId} not found in account ${accountId}`,
      this.backend,
      e.backendStatus,
      e.backendMessage,
      {
        inferredFrom: 'KAZOO timed out on the channel and it is absent from the account channel list',
      },
    );
  }

  private async absentFromList(accountId: string, callId: string, ctx: CallContext): Promise<boolean> {
    try {
      const list = await this.client.accountChannels(accountId, ctx);
      return !list.some((c) => c.uuid === callId);
    } catch {
      return false;
    }
  }
}
