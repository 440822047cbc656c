/**
 * Wire-level Crossbar calls used by patchbay: channels, websockets, qubicle_recipients — every
 * call of docs/wire/kazoo.md §3–§5. Arguments and results are wire shapes; backend.ts maps them.
 */
import type { CallContext } from '../types';
import { CrossbarHttp, type CrossbarHttpOptions } from './http';
import type {
  WireBatchStatus,
  WireBindingCatalogue,
  WireChannelAction,
  WireChannelDetail,
  WireChannelListItem,
  WireMetaflow,
  WireRecipientAction,
  WireRecipientListItem,
  WireRecipientStatus,
  WireSetStatusBatch,
  WireSetStatusResults,
  WireUserDoc,
  WireWebsocketSession,
  NOT_LOGGED_IN,
} from './wire';

const enc = encodeURIComponent;

export class KazooClient {
  readonly http: CrossbarHttp;

  constructor(o: CrossbarHttpOptions) {
    this.http = new CrossbarHttp(o);
  }

  close(): void {
    this.http.close();
  }

  // ------------------------------------------------------------ channels
  // Channel and websocket listings are not view-backed (docs/wire/kazoo.md §1.7): KAZOO answers them
  // whole without paging keys, so they send no paginate flag; getAllPages still follows a key.

  /** GET /v2/channels — superduper admin and system_wide_channels_list only. */
  async systemChannels(ctx: CallContext): Promise<WireChannelListItem[]> {
    return this.http.getAllPages<WireChannelListItem>('/channels', ctx);
  }

  async accountChannels(accountId: string, ctx: CallContext): Promise<WireChannelListItem[]> {
    return this.http.getAllPages<WireChannelListItem>(`/accounts/${enc(accountId)}/channels`, ctx);
  }

  async userChannels(accountId: string, userId: string, ctx: CallContext): Promise<WireChannelListItem[]> {
    return this.http.getAllPages<WireChannelListItem>(`/accounts/${enc(accountId)}/users/${enc(userId)}/channels`, ctx);
  }

  async deviceChannels(accountId: string, deviceId: string, ctx: CallContext): Promise<WireChannelListItem[]> {
    return this.http.getAllPages<WireChannelListItem>(
      `/accounts/${enc(accountId)}/devices/${enc(deviceId)}/channels`,
      ctx,
    );
  }

  async channel(accountId: string, callId: string, ctx: CallContext): Promise<WireChannelDetail> {
    const res = await this.http.request<WireChannelDetail>(
      { method: 'GET', path: channelPath(accountId, callId) },
      ctx,
    );
    return res.data;
  }

  /** POST action; KAZOO answers with a bare string such as "transfer initiated". */
  async channelAction(accountId: string, callId: string, action: WireChannelAction, ctx: CallContext): Promise<string> {
    const res = await this.http.request<unknown>(
      { method: 'POST', path: channelPath(accountId, callId), body: { data: action } },
      ctx,
    );
    return typeof res.data === 'string' ? res.data : JSON.stringify(res.data);
  }

  /** PUT metaflow (HTTP 201, data "metaflow sent"). */
  async channelMetaflow(accountId: string, callId: string, flow: WireMetaflow, ctx: CallContext): Promise<string> {
    const res = await this.http.request<unknown>(
      { method: 'PUT', path: channelPath(accountId, callId), body: { action: 'metaflow', data: flow } },
      ctx,
    );
    return typeof res.data === 'string' ? res.data : JSON.stringify(res.data);
  }

  // ------------------------------------------------------------ websockets

  /** GET /v2/websockets — needs no token. */
  async websocketCatalogue(ctx: CallContext): Promise<WireBindingCatalogue> {
    const res = await this.http.request<WireBindingCatalogue>({ method: 'GET', path: '/websockets', auth: false }, ctx);
    return res.data ?? {};
  }

  async websocketSessions(accountId: string, ctx: CallContext): Promise<WireWebsocketSession[]> {
    return this.http.getAllPages<WireWebsocketSession>(`/accounts/${enc(accountId)}/websockets`, ctx);
  }

  /** One session; KAZOO may answer an unknown id with `data: []`, returned as is. */
  async websocketSession(
    accountId: string,
    sessionId: string,
    ctx: CallContext,
  ): Promise<WireWebsocketSession | WireWebsocketSession[]> {
    const res = await this.http.request<WireWebsocketSession | WireWebsocketSession[]>(
      { method: 'GET', path: `/accounts/${enc(accountId)}/websockets/${enc(sessionId)}` },
      ctx,
    );
    return res.data;
  }

  // ------------------------------------------------------------ qubicle recipients

  /** View-backed (docs show page_size): asked for whole, so 100 agents are one request, not two. */
  async recipients(accountId: string, ctx: CallContext): Promise<WireRecipientListItem[]> {
    return this.http.getWholeListing<WireRecipientListItem>(`/accounts/${enc(accountId)}/qubicle_recipients`, ctx);
  }

  /** The recipient's user document. */
  async recipient(accountId: string, userId: string, ctx: CallContext): Promise<WireUserDoc> {
    const res = await this.http.request<WireUserDoc>({ method: 'GET', path: recipientPath(accountId, userId) }, ctx);
    return res.data;
  }

  /** Single status; a listing's statuses come from recipientStatuses (one POST for all). */
  async recipientStatus(
    accountId: string,
    userId: string,
    ctx: CallContext,
  ): Promise<WireRecipientStatus | typeof NOT_LOGGED_IN> {
    const res = await this.http.request<WireRecipientStatus | typeof NOT_LOGGED_IN>(
      { method: 'GET', path: `${recipientPath(accountId, userId)}/status` },
      ctx,
    );
    return res.data;
  }

  /** One POST for many recipients. */
  async recipientStatuses(
    accountId: string,
    userIds: string[],
    ctx: CallContext,
  ): Promise<WireBatchStatus | WireRecipientStatus[]> {
    const res = await this.http.request<WireBatchStatus | WireRecipientStatus[]>(
      {
        method: 'POST',
        path: `/accounts/${enc(accountId)}/qubicle_recipients/status`,
        body: { data: { recipient_ids: userIds } },
      },
      ctx,
    );
    return res.data ?? {};
  }

  async setRecipientStatuses(
    accountId: string,
    batch: WireSetStatusBatch,
    ctx: CallContext,
  ): Promise<WireSetStatusResults> {
    const res = await this.http.request<WireSetStatusResults>(
      { method: 'POST', path: `/accounts/${enc(accountId)}/qubicle_recipients/status`, body: { data: batch } },
      ctx,
    );
    return res.data ?? {};
  }

  /** POST …/{U}/status {status, queue_id?}: login | logout | ready | away. */
  async setRecipientStatus(
    accountId: string,
    userId: string,
    status: 'login' | 'logout' | 'ready' | 'away',
    queueId: string | undefined,
    ctx: CallContext,
  ): Promise<unknown> {
    const data: Record<string, string> = { status };
    if (queueId !== undefined) data.queue_id = queueId;
    const res = await this.http.request<unknown>(
      { method: 'POST', path: `${recipientPath(accountId, userId)}/status`, body: { data } },
      ctx,
    );
    return res.data;
  }

  /** POST …/{U} {action}: login, logout, wrapup_extend, wrapup_cancel, monitor. */
  async recipientAction(
    accountId: string,
    userId: string,
    action: WireRecipientAction,
    ctx: CallContext,
  ): Promise<unknown> {
    const res = await this.http.request<unknown>(
      { method: 'POST', path: recipientPath(accountId, userId), body: { data: action } },
      ctx,
    );
    return res.data;
  }
}

function channelPath(accountId: string, callId: string): string {
  return `/accounts/${enc(accountId)}/channels/${enc(callId)}`;
}

function recipientPath(accountId: string, userId: string): string {
  return `/accounts/${enc(accountId)}/qubicle_recipients/${enc(userId)}`;
}
