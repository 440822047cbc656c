/**
 * Qubicle recipients and queues: the state machine of docs/wire/kazoo.md §5.4 (Not-Logged-In →
 * Away ⇄ Ready → Call-Offer → On-A-Call → Wrapup-Time → Ready), queue dispatch to the
 * longest-idle ready recipient, and the `qubicle.recipient` / `qubicle.queue` events.
 */
import type { Call, CallEngine, CallPhase } from '../calls';
import type { EventHub } from '../event-hub';
import type { Store, UserRec } from '../store';
import type { AvailabilityState } from '../seed';
import { QueueBook } from './queue-book';
import {
  type CallInfo,
  type RecipientView,
  type TimestampFormat,
  queueEventPayload,
  recipientEventPayload,
  statusObject,
} from './recipient-shapes';

interface Recipient extends RecipientView {
  /** Idle preference when no call: Ready or Away. */
  wantsReady: boolean;
  wrapupTimer?: NodeJS.Timeout;
  lastQueueId?: string;
}

export interface QubicleOptions {
  timestampFormat: TimestampFormat;
  /** Overrides every queue's agent_wrapup_time (ms), to keep tests fast. */
  wrapupMs?: number;
}

export type SetStatusOutcome = 'ok' | 'not_logged_in';

let pidCounter = 100;

export class QubicleEngine {
  private readonly recipients = new Map<string, Recipient>();
  private readonly book = new QueueBook();

  constructor(
    private readonly store: Store,
    private readonly calls: CallEngine,
    private readonly hub: EventHub,
    private readonly o: QubicleOptions,
  ) {
    for (const u of store.users.values()) if (u.qubicle?.enabled) this.addRecipient(u, u.qubicle.initialState);
    calls.events.on('queued', (call: Call) => this.onQueued(call));
    calls.events.on('delivered', (call: Call) => this.onDelivered(call));
    calls.events.on('offer-rejected', (call: Call) => this.onOfferRejected(call));
    calls.events.on('ended', (call: Call, was: CallPhase) => this.onEnded(call, was));
  }

  addRecipient(u: UserRec, initial: 'Not-Logged-In' | 'Away' | 'Ready'): void {
    const now = Date.now();
    const r: Recipient = {
      id: u.id,
      accountId: u.accountId,
      username: u.username,
      loggedIn: initial !== 'Not-Logged-In',
      state: initial,
      wantsReady: initial === 'Ready',
      queueAvailability: new Map(),
      stats: {
        totalCalls: 0,
        offeredCalls: 0,
        missedCalls: 0,
        totalTalkMs: 0,
        loginMs: initial !== 'Not-Logged-In' ? now : undefined,
        lastActionMs: now,
      },
      pid: `<0.${pidCounter++}.0>`,
    };
    this.recipients.set(u.id, r);
  }

  get(id: string): RecipientView | undefined {
    return this.recipients.get(id);
  }

  status(id: string): Record<string, unknown> | undefined {
    const r = this.recipients.get(id);
    return r ? statusObject(r, this.o.timestampFormat) : undefined;
  }

  /** Batch status entry: the status object, or "not_logged_in". */
  batchStatus(id: string, accountId: string): Record<string, unknown> | 'not_logged_in' {
    const r = this.recipients.get(id);
    if (!r || r.accountId !== accountId || !r.loggedIn) return 'not_logged_in';
    return statusObject(r, this.o.timestampFormat);
  }

  login(id: string): void {
    const r = this.require(id);
    if (r.loggedIn) return;
    const now = Date.now();
    r.loggedIn = true;
    r.state = 'Away';
    r.wantsReady = false;
    r.queueAvailability.clear();
    r.stats = { totalCalls: 0, offeredCalls: 0, missedCalls: 0, totalTalkMs: 0, loginMs: now, lastActionMs: now };
    this.emit(r, 'create');
  }

  logout(id: string, reason = 'logout'): void {
    const r = this.require(id);
    if (!r.loggedIn) return;
    this.clearWrapup(r);
    const offered = this.offeredCall(r);
    r.loggedIn = false;
    r.state = 'Not-Logged-In';
    r.offered = undefined;
    r.handling = undefined;
    r.wiretap = undefined;
    r.stats.lastActionMs = Date.now();
    this.emit(r, 'delete', { reason });
    if (offered) {
      this.calls.withdrawOffer(offered);
      this.requeue(offered);
    }
  }

  /** ready/away, globally or for one queue. */
  setAvailability(id: string, ready: boolean, queueId?: string): SetStatusOutcome {
    const r = this.require(id);
    if (!r.loggedIn) return 'not_logged_in';
    r.stats.lastActionMs = Date.now();
    if (queueId) {
      r.queueAvailability.set(queueId, ready);
      this.emit(r, ready ? 'ready' : 'away', { queue_id: queueId });
      if (ready) this.dispatchAll(r.accountId);
      return 'ok';
    }
    r.wantsReady = ready;
    if (r.state === 'Ready' || r.state === 'Away') {
      const next: AvailabilityState = ready ? 'Ready' : 'Away';
      if (r.state !== next) {
        r.state = next;
        this.emit(r, ready ? 'ready' : 'away');
      }
      if (ready) this.dispatchAll(r.accountId);
    }
    return 'ok';
  }

  wrapupExtend(id: string): void {
    const r = this.require(id);
    if (r.state !== 'Wrapup-Time' || !r.lastQueueId) return;
    this.startWrapup(r, r.lastQueueId);
  }

  wrapupCancel(id: string): void {
    const r = this.require(id);
    if (r.state !== 'Wrapup-Time') return;
    this.endWrapup(r);
  }

  /** Starts a wiretap; the outcome is only reported by event (Wiretap-Start / Wiretap-Failed). */
  monitor(id: string, targetId: string, mode: string, allowed: boolean): void {
    const r = this.require(id);
    const target = this.recipients.get(targetId);
    if (allowed && r.loggedIn && target?.handling && target.accountId === r.accountId) {
      r.wiretap = { target: targetId, mode };
      this.emit(r, 'Wiretap-Start', { target_id: targetId, mode, session_id: target.handling.sessionId });
    } else {
      const reason = !allowed ? 'not_allowed' : !r.loggedIn ? 'not_logged_in' : 'target_not_on_call';
      this.emit(r, 'Wiretap-Failed', { target_id: targetId, mode, reason });
    }
  }

  private require(id: string): Recipient {
    const r = this.recipients.get(id);
    if (!r) throw new Error(`unknown recipient ${id}`);
    return r;
  }

  private offeredCall(r: Recipient): Call | undefined {
    if (!r.offered) return undefined;
    return this.calls.callOf(r.offered.sessionId);
  }

  private callInfo(call: Call): CallInfo {
    const a = call.legs[0];
    return {
      queueId: call.queueId!,
      sessionId: call.id,
      callerIdName: a.callerIdName,
      callerIdNumber: a.callerIdNumber,
      queueEnterMs: call.queueEnterMs ?? a.createdMs,
    };
  }

  /** `GET …/qubicle_queues/{Q}/status` data. */
  queueStatus(queueId: string): Record<string, unknown> {
    const members = [...this.recipients.values()].filter((r) =>
      this.store.users.get(r.id)?.qubicle?.queues.includes(queueId),
    );
    const active = members.filter((r) => r.loggedIn);
    const available = active.filter((r) => r.state === 'Ready' && r.queueAvailability.get(queueId) !== false);
    return this.book.status(queueId, { total: members.length, active: active.length, available: available.length });
  }

  private onQueued(call: Call): void {
    this.book.enqueue(call);
    this.emitQueue(call, 'join');
    this.dispatch(call.queueId!);
  }

  private requeue(call: Call): void {
    call.phase = 'queued';
    call.recipientId = undefined;
    this.book.requeue(call);
    this.dispatch(call.queueId!);
  }

  private dispatchAll(accountId: string): void {
    for (const q of this.store.queuesIn(accountId)) this.dispatch(q.id);
  }

  /** Offers waiting calls to the longest-idle ready members of the queue. */
  private dispatch(queueId: string): void {
    for (let call = this.book.head(queueId); call; call = this.book.head(queueId)) {
      const rejected = this.book.refused(call);
      const candidates = [...this.recipients.values()]
        .filter((r) => r.loggedIn && r.state === 'Ready' && r.accountId === call.accountId && !rejected.has(r.id))
        .filter(
          (r) =>
            this.store.users.get(r.id)?.qubicle?.queues.includes(queueId) && r.queueAvailability.get(queueId) !== false,
        )
        .filter((r) => this.store.devicesOwnedBy(r.id).length > 0)
        .sort((x, y) => (x.stats.lastActionMs ?? 0) - (y.stats.lastActionMs ?? 0));
      const r = candidates[0];
      if (!r) return;
      this.book.shift(queueId);
      this.offer(r, call);
    }
  }

  private offer(r: Recipient, call: Call): void {
    const user = this.store.users.get(r.id)!;
    const device = this.store.devicesOwnedBy(r.id)[0];
    call.phase = 'offered';
    call.recipientId = r.id;
    r.state = 'Call-Offer';
    r.offered = this.callInfo(call);
    r.stats.offeredCalls++;
    r.stats.lastActionMs = Date.now();
    this.emit(r, 'offer', this.callFields(r.offered));
    this.calls.ringDevice(call, device, user);
  }

  private onDelivered(call: Call): void {
    const r = call.recipientId ? this.recipients.get(call.recipientId) : undefined;
    if (!r || !r.offered) return;
    const now = Date.now();
    r.handling = r.offered;
    r.offered = undefined;
    r.state = 'On-A-Call';
    r.stats.totalCalls++;
    r.stats.lastHandledMs = now;
    r.stats.lastActionMs = now;
    r.lastQueueId = call.queueId;
    this.book.noteDelivered(call, now);
    this.emit(r, 'delivered', this.callFields(r.handling));
    this.emitQueue(call, 'leave', { reason: 'delivered', recipient_id: r.id });
  }

  private onOfferRejected(call: Call): void {
    const r = call.recipientId ? this.recipients.get(call.recipientId) : undefined;
    if (r) {
      this.book.noteRefusal(call, r.id);
      const info = r.offered;
      r.offered = undefined;
      r.stats.missedCalls++;
      r.stats.lastActionMs = Date.now();
      r.state = r.wantsReady ? 'Ready' : 'Away';
      this.emit(r, 'reject', info ? this.callFields(info) : {});
    }
    this.requeue(call);
  }

  private onEnded(call: Call, was: CallPhase): void {
    if (!call.queueId) return;
    this.book.remove(call);
    if (was === 'queued' || was === 'offered') {
      this.book.noteAbandoned(call);
      this.emitQueue(call, 'leave', { reason: 'abandoned' });
    }
    const r = call.recipientId ? this.recipients.get(call.recipientId) : undefined;
    if (!r || !r.loggedIn) return;
    for (const m of this.recipients.values()) if (m.wiretap?.target === r.id) m.wiretap = undefined;
    if (was === 'offered' && r.offered) {
      r.offered = undefined;
      r.state = r.wantsReady ? 'Ready' : 'Away';
      r.stats.lastActionMs = Date.now();
      this.emit(r, r.state === 'Ready' ? 'ready' : 'away');
      if (r.state === 'Ready') this.dispatchAll(r.accountId);
    } else if (was === 'answered' && r.handling) {
      r.stats.totalTalkMs += Date.now() - (call.legs[1]?.answeredMs ?? Date.now());
      r.handling = undefined;
      this.startWrapup(r, call.queueId);
    }
  }

  private startWrapup(r: Recipient, queueId: string): void {
    this.clearWrapup(r);
    const queue = this.store.queues.get(queueId);
    const ms = this.o.wrapupMs ?? (queue?.wrapupSeconds ?? 2) * 1000;
    const entering = r.state !== 'Wrapup-Time';
    r.state = 'Wrapup-Time';
    r.wrapupEndsMs = Date.now() + ms;
    r.stats.lastActionMs = Date.now();
    r.wrapupTimer = setTimeout(() => this.endWrapup(r), ms);
    r.wrapupTimer.unref?.();
    if (entering) this.emit(r, 'wrapup', { queue_id: queueId, wrapup_time_seconds: Math.ceil(ms / 1000) });
  }

  private endWrapup(r: Recipient): void {
    this.clearWrapup(r);
    if (!r.loggedIn || r.state !== 'Wrapup-Time') return;
    r.state = r.wantsReady ? 'Ready' : 'Away';
    r.stats.lastActionMs = Date.now();
    this.emit(r, r.state === 'Ready' ? 'ready' : 'away');
    if (r.state === 'Ready') this.dispatchAll(r.accountId);
  }

  private clearWrapup(r: Recipient): void {
    if (r.wrapupTimer) clearTimeout(r.wrapupTimer);
    r.wrapupTimer = undefined;
    r.wrapupEndsMs = undefined;
  }

  private callFields(c: CallInfo): Record<string, unknown> {
    return {
      queue_id: c.queueId,
      session_id: c.sessionId,
      caller_id_name: c.callerIdName,
      caller_id_number: c.callerIdNumber,
    };
  }

  private emit(r: Recipient, name: string, extra: Record<string, unknown> = {}): void {
    this.hub.publish({
      routingKey: `qubicle.recipient.${r.accountId}.${r.id}`,
      name,
      data: recipientEventPayload(r, name, this.o.timestampFormat, extra),
    });
  }

  private emitQueue(call: Call, name: 'join' | 'leave', extra: Record<string, unknown> = {}): void {
    this.hub.publish({
      routingKey: `qubicle.queue.${call.accountId}.${call.queueId}`,
      name,
      data: queueEventPayload(call.accountId, name, this.callInfo(call), this.o.timestampFormat, extra),
    });
  }

  close(): void {
    for (const r of this.recipients.values()) this.clearWrapup(r);
  }
}
