/**
 * Per-queue bookkeeping for Qubicle: who is waiting (arrival order), who already refused a
 * call, and the counters behind `GET …/qubicle_queues/{Q}/status`.
 */
import type { Call } from '../calls';
import { QUBICLE_NODE } from './recipient-shapes';

interface QueueCounters {
  totalSessions: number;
  missedSessions: number;
  abandonedSessions: number;
  waitTotalMs: number;
  waitCount: number;
}

export class QueueBook {
  private readonly waiting = new Map<string, Call[]>();
  private readonly refusedBy = new WeakMap<Call, Set<string>>();
  private readonly counters = new Map<string, QueueCounters>();

  private countersFor(queueId: string): QueueCounters {
    let c = this.counters.get(queueId);
    if (!c)
      this.counters.set(
        queueId,
        (c = { totalSessions: 0, missedSessions: 0, abandonedSessions: 0, waitTotalMs: 0, waitCount: 0 }),
      );
    return c;
  }

  enqueue(call: Call): void {
    this.countersFor(call.queueId!).totalSessions++;
    this.list(call.queueId!).push(call);
  }

  /** A call whose offer failed goes back to the head of the line. */
  requeue(call: Call): void {
    this.list(call.queueId!).unshift(call);
  }

  remove(call: Call): void {
    const list = this.waiting.get(call.queueId!);
    if (list)
      this.waiting.set(
        call.queueId!,
        list.filter((c) => c !== call),
      );
  }

  head(queueId: string): Call | undefined {
    return this.waiting.get(queueId)?.[0];
  }

  shift(queueId: string): void {
    this.waiting.get(queueId)?.shift();
  }

  refused(call: Call): Set<string> {
    return this.refusedBy.get(call) ?? new Set<string>();
  }

  noteRefusal(call: Call, recipientId: string): void {
    const set = this.refused(call);
    set.add(recipientId);
    this.refusedBy.set(call, set);
    this.countersFor(call.queueId!).missedSessions++;
  }

  noteDelivered(call: Call, nowMs: number): void {
    const c = this.countersFor(call.queueId!);
    c.waitTotalMs += nowMs - (call.queueEnterMs ?? nowMs);
    c.waitCount++;
  }

  noteAbandoned(call: Call): void {
    this.countersFor(call.queueId!).abandonedSessions++;
  }

  status(queueId: string, members: { total: number; active: number; available: number }): Record<string, unknown> {
    const c = this.countersFor(queueId);
    const waiting = this.waiting.get(queueId)?.length ?? 0;
    const averageWait = c.waitCount > 0 ? Math.round(c.waitTotalMs / 1000 / c.waitCount) : 0;
    return {
      active_recipient_count: members.active,
      available_recipient_count: members.available,
      stats: {
        estimated_wait: waiting > 0 ? averageWait * waiting : 0,
        average_wait: averageWait,
        recipient_count: members.total,
        active_session_count: waiting,
        total_sessions: c.totalSessions,
        missed_sessions: c.missedSessions,
        abandoned_sessions: c.abandonedSessions,
      },
      node: QUBICLE_NODE,
    };
  }

  private list(queueId: string): Call[] {
    let l = this.waiting.get(queueId);
    if (!l) this.waiting.set(queueId, (l = []));
    return l;
  }
}
