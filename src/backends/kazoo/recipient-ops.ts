/** Qubicle recipient operations in domain terms. */
import { BackendError, ErrorCode, badInput } from '../../domain/errors';
import type {
  Recipient,
  RecipientConfig,
  RecipientStatus,
  RecipientStatusValue,
  SetRecipientStatusItem,
  SetRecipientStatusResult,
  WiretapMode,
} from '../../domain/recipient';
import type { CallContext } from '../types';
import type { KazooClient } from './client';
import {
  buildSetStatusBatch,
  mapBatchStatuses,
  mapRecipient,
  mapRecipientConfig,
  mapRecipientStatus,
  mapSetStatusResults,
  recipientName,
} from './map';
import type { MonitorParams } from './operations';
import type { RecipientConfigCache } from './recipient-config-cache';
import { requireHexId, requireOneOf } from './validate';
import type { WireRecipientAction, WireUserDoc } from './wire';

const STATUS_VALUES: readonly RecipientStatusValue[] = ['ready', 'away'];
const MODES: readonly WiretapMode[] = ['eavesdrop', 'whisper', 'barge'];

function notFoundToNull<T>(p: Promise<T>): Promise<T | null> {
  return p.catch((e: unknown) => {
    if (e instanceof BackendError && e.code === ErrorCode.NOT_FOUND) return null;
    throw e;
  });
}

export class RecipientOps {
  constructor(
    private readonly client: KazooClient,
    private readonly backend: string,
    /** Largest recipient_ids list per batch POST; 50 recipients are always one request. */
    private readonly statusBatchSize = 1000,
    /** Configs kept between requests while Blackhole tells us of changes; none without it. */
    private readonly configs: RecipientConfigCache | null = null,
  ) {}

  async list(accountId: string, ctx: CallContext): Promise<Recipient[]> {
    requireHexId(accountId, 'accountId');
    const items = await this.client.recipients(accountId, ctx);
    const statuses = await this.statuses(
      accountId,
      items.map((i) => i.id),
      ctx,
    );
    return items.map((it, i) =>
      mapRecipient(this.backend, accountId, it.id, recipientName(it.name, undefined), undefined, statuses[i]),
    );
  }

  async get(accountId: string, userId: string, ctx: CallContext): Promise<Recipient | null> {
    requireHexId(accountId, 'accountId');
    requireHexId(userId, 'userId');
    const generation = this.configs?.generation();
    const [doc, status] = await Promise.all([
      notFoundToNull(this.client.recipient(accountId, userId, ctx)),
      notFoundToNull(this.client.recipientStatus(accountId, userId, ctx)),
    ]);
    if (!doc) return null;
    const d = doc as WireUserDoc;
    const r = mapRecipient(this.backend, accountId, userId, recipientName(undefined, d), d, mapRecipientStatus(status));
    // The document was read anyway: a later listing's `config` need not read it again.
    if (this.configs && generation !== undefined) this.configs.remember(accountId, userId, r.config, generation);
    return r;
  }

  /**
   * The user document alone (one GET, none while cached): for a recipient whose status already
   * came from a listing's batch POST, so the per-id status GET of get() would be a wasted request.
   */
  async config(accountId: string, userId: string, ctx: CallContext): Promise<RecipientConfig | null> {
    requireHexId(accountId, 'accountId');
    requireHexId(userId, 'userId');
    const fetch = async () => {
      const doc = await notFoundToNull(this.client.recipient(accountId, userId, ctx));
      return doc ? mapRecipientConfig(doc as WireUserDoc) : null;
    };
    return this.configs ? this.configs.read(accountId, userId, fetch) : fetch();
  }

  /** Deduplicated, one POST per statusBatchSize ids; aligned with userIds. */
  async statuses(accountId: string, userIds: readonly string[], ctx: CallContext): Promise<(RecipientStatus | null)[]> {
    requireHexId(accountId, 'accountId');
    userIds.forEach((id) => requireHexId(id, 'userId'));
    const unique = [...new Set(userIds)];
    const byId = new Map<string, RecipientStatus | null>();
    for (let i = 0; i < unique.length; i += this.statusBatchSize) {
      const chunk = unique.slice(i, i + this.statusBatchSize);
      const mapped = mapBatchStatuses(chunk, await this.client.recipientStatuses(accountId, chunk, ctx));
      chunk.forEach((id, j) => byId.set(id, mapped[j]));
    }
    return userIds.map((id) => byId.get(id) ?? null);
  }

  async login(accountId: string, userId: string, ctx: CallContext): Promise<void> {
    return this.act(accountId, userId, { action: 'login' }, ctx);
  }

  async logout(accountId: string, userId: string, ctx: CallContext): Promise<void> {
    return this.act(accountId, userId, { action: 'logout' }, ctx);
  }

  async extendWrapup(accountId: string, userId: string, ctx: CallContext): Promise<void> {
    return this.act(accountId, userId, { action: 'wrapup_extend' }, ctx);
  }

  async cancelWrapup(accountId: string, userId: string, ctx: CallContext): Promise<void> {
    return this.act(accountId, userId, { action: 'wrapup_cancel' }, ctx);
  }

  async monitor(accountId: string, userId: string, p: MonitorParams, ctx: CallContext): Promise<void> {
    const target = requireHexId(p.target, 'target');
    if (target === userId) throw badInput('a recipient cannot monitor itself', { field: 'target' });
    const mode = requireOneOf(p.mode ?? 'eavesdrop', MODES, 'mode');
    return this.act(accountId, userId, { action: 'monitor', target, mode }, ctx);
  }

  async setStatus(
    accountId: string,
    userId: string,
    status: RecipientStatusValue,
    ctx: CallContext,
    queueId?: string,
  ): Promise<void> {
    requireHexId(accountId, 'accountId');
    requireHexId(userId, 'userId');
    requireOneOf(status, STATUS_VALUES, 'status');
    if (queueId !== undefined) requireHexId(queueId, 'queueId');
    await this.written(accountId, [userId], this.client.setRecipientStatus(accountId, userId, status, queueId, ctx));
  }

  async setStatuses(
    accountId: string,
    items: readonly SetRecipientStatusItem[],
    ctx: CallContext,
  ): Promise<SetRecipientStatusResult[]> {
    requireHexId(accountId, 'accountId');
    const seen = new Set<string>();
    for (const it of items) {
      requireHexId(it.userId, 'userId');
      requireOneOf(it.status, STATUS_VALUES, 'status');
      if (it.queueId !== undefined) requireHexId(it.queueId, 'queueId');
      const key = `${it.userId}/${it.queueId ?? 'global'}`;
      // One JSON object per recipient: a second line for the same slot would silently win.
      if (seen.has(key))
        throw badInput(
          `duplicate status for recipient ${it.userId} ${it.queueId ? `queue ${it.queueId}` : '(global)'}`,
        );
      seen.add(key);
    }
    if (items.length === 0) return [];
    const data = await this.written(
      accountId,
      items.map((it) => it.userId),
      this.client.setRecipientStatuses(accountId, buildSetStatusBatch(items), ctx),
    );
    return mapSetStatusResults(items, data);
  }

  private async act(accountId: string, userId: string, action: WireRecipientAction, ctx: CallContext): Promise<void> {
    requireHexId(accountId, 'accountId');
    requireHexId(userId, 'userId');
    await this.written(accountId, [userId], this.client.recipientAction(accountId, userId, action, ctx));
  }

  /**
   * Recipient writes drop the recipients' cached configs once answered, failed or not (a failure
   * may have been applied). Qubicle's server is not public (docs/wire/kazoo.md §5): no status action is
   * known to touch the user document, but if one does, its event would be the only other notice.
   */
  private async written<T>(accountId: string, userIds: readonly string[], write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      for (const id of userIds) this.configs?.invalidate(accountId, id);
    }
  }
}
