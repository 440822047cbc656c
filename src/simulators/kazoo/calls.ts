/**
 * The switch side: call legs (ecallmgr channels) and their lifecycle. Publishes the call
 * events KAZOO routes to Blackhole (`call.{account}.{EVENT}.{call-id}`) and tells the Qubicle
 * engine when queue calls arrive, are answered, rejected or end.
 */
import { EventEmitter } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventHub } from './event-hub';
import type { DeviceRec, Store, UserRec } from './store';
import { callEventPayload } from './channel-shapes';
import { amqpEncode, newId } from './wire';

export interface Leg {
  callId: string;
  accountId: string;
  realm: string;
  direction: 'inbound' | 'outbound';
  answered: boolean;
  createdMs: number;
  answeredMs?: number;
  endedMs?: number;
  deviceId?: string;
  ownerId?: string;
  username?: string;
  /** Carrier resource for PSTN legs. */
  resourceId?: string;
  callerIdName: string;
  callerIdNumber: string;
  calleeIdName?: string;
  calleeIdNumber?: string;
  destination: string;
  presenceId?: string;
  otherLeg?: string;
  callflowId?: string;
  isOnHold: boolean;
  fromTag: string;
  toTag: string;
  interactionId: string;
  bridgeId: string;
  channelState: 'ROUTING' | 'EXECUTE' | 'EXCHANGE_MEDIA' | 'HANGUP';
  callState: 'RINGING' | 'ACTIVE' | 'HANGUP';
  hangupCause?: string;
  hangupCode?: string;
}

export type CallPhase = 'ringing' | 'queued' | 'offered' | 'answered' | 'ended';

export interface Call {
  id: string;
  accountId: string;
  legs: Leg[];
  phase: CallPhase;
  queueId?: string;
  /** Recipient currently offered / handling this queue call. */
  recipientId?: string;
  queueEnterMs?: number;
}

export interface StartCallOptions {
  accountId: string;
  /** Internal caller: the call comes from this user's first device. Otherwise a PSTN caller. */
  fromUserId?: string;
  /** Rings this user's first device. */
  toUserId?: string;
  /** The caller enters this Qubicle queue (answered by the queue, then offered to a recipient). */
  queueId?: string;
  callerIdName?: string;
  callerIdNumber?: string;
  /** Dialled number for a call that rings nobody (IVR, voicemail). */
  destination?: string;
  /** A-leg call-id; default: a SIP Call-ID for phones, a short opaque id for carrier legs. */
  callId?: string;
}

const HANGUP_CODES: Record<string, string> = {
  NORMAL_CLEARING: 'sip:200',
  ORIGINATOR_CANCEL: 'sip:487',
  CALL_REJECTED: 'sip:603',
  NO_ANSWER: 'sip:480',
  USER_BUSY: 'sip:486',
};

function sipCallId(): string {
  const h = randomBytes(12).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 16)}-${h.slice(16, 24)}@10.26.0.91`;
}

function carrierCallId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(20), (b) => alphabet[b % alphabet.length]).join('');
}

function tag(): string {
  return randomBytes(5).toString('hex');
}

export class CallEngine {
  private readonly calls = new Map<string, Call>();
  /** Every live leg by call-id, pointing at its call. */
  private readonly legIndex = new Map<string, Call>();
  readonly events = new EventEmitter();
  private readonly callflowIds = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
  ) {
    this.events.setMaxListeners(0);
  }

  activeLegs(): Leg[] {
    const out: Leg[] = [];
    for (const call of this.calls.values()) for (const leg of call.legs) if (!leg.endedMs) out.push(leg);
    return out;
  }

  leg(callId: string): Leg | undefined {
    return this.legIndex.get(callId)?.legs.find((l) => l.callId === callId && !l.endedMs);
  }

  callOf(callId: string): Call | undefined {
    return this.legIndex.get(callId);
  }

  activeCalls(): Call[] {
    return [...this.calls.values()];
  }

  startCall(o: StartCallOptions): string {
    const account = this.store.accounts.get(o.accountId);
    if (!account) throw new Error(`unknown account ${o.accountId}`);
    const from = o.fromUserId ? this.requireUser(o.fromUserId) : undefined;
    const to = o.toUserId ? this.requireUser(o.toUserId) : undefined;
    const queue = o.queueId ? this.store.queues.get(o.queueId) : undefined;
    if (o.queueId && !queue) throw new Error(`unknown queue ${o.queueId}`);
    const fromDevice = from ? this.store.devicesOwnedBy(from.id)[0] : undefined;

    const callerIdName = o.callerIdName ?? (from ? `${from.firstName} ${from.lastName}` : 'Wireless Caller');
    const callerIdNumber =
      o.callerIdNumber ??
      (from ? (from.extension ?? from.username) : `+1415555${String(1000 + Math.floor(Math.random() * 9000))}`);
    const destination = queue
      ? `*q${queue.name.toLowerCase()}`
      : to
        ? (to.extension ?? to.username)
        : (o.destination ?? '+14155550100');
    const callId = o.callId ?? (fromDevice ? sipCallId() : carrierCallId());
    const interactionId = `${Math.floor(Date.now() / 1000) + 62167219200}-${tag()}`;

    const a: Leg = this.newLeg({
      callId,
      accountId: account.id,
      realm: account.realm,
      direction: 'inbound',
      callerIdName,
      callerIdNumber,
      calleeIdName: to ? `${to.firstName} ${to.lastName}` : queue?.name,
      calleeIdNumber: to ? to.extension : undefined,
      destination,
      deviceId: fromDevice?.id,
      ownerId: from?.id,
      username: fromDevice?.sipUsername,
      presenceId: from ? `${from.extension ?? from.username}@${account.realm}` : undefined,
      resourceId: fromDevice ? undefined : this.carrierResourceId(),
      callflowId: this.callflowId(account.id, destination),
      interactionId,
    });
    const call: Call = { id: callId, accountId: account.id, legs: [a], phase: 'ringing' };
    this.calls.set(call.id, call);
    this.legIndex.set(a.callId, call);
    this.publish(a, 'CHANNEL_CREATE');

    if (queue) {
      call.queueId = queue.id;
      call.phase = 'queued';
      call.queueEnterMs = Date.now();
      this.answerLeg(a);
      this.events.emit('queued', call);
    } else if (to) {
      const device = this.store.devicesOwnedBy(to.id)[0];
      if (device) this.ringDevice(call, device, to);
    }
    return callId;
  }

  /** Rings a device as the B-leg of `call` (also used for Qubicle offers). */
  ringDevice(call: Call, device: DeviceRec, owner?: UserRec): Leg {
    const a = call.legs[0];
    const account = this.store.accounts.get(call.accountId)!;
    const b = this.newLeg({
      callId: randomUUID(),
      accountId: call.accountId,
      realm: account.realm,
      direction: 'outbound',
      callerIdName: a.callerIdName,
      callerIdNumber: a.callerIdNumber,
      calleeIdName: owner ? `${owner.firstName} ${owner.lastName}` : device.name,
      calleeIdNumber: owner?.extension ?? device.sipUsername,
      destination: device.sipUsername,
      deviceId: device.id,
      ownerId: owner?.id ?? device.ownerId,
      username: device.sipUsername,
      presenceId: `${device.sipUsername}@${account.realm}`,
      interactionId: a.interactionId,
      otherLeg: a.callId,
    });
    call.legs.push(b);
    this.legIndex.set(b.callId, call);
    this.publish(b, 'CHANNEL_CREATE');
    return b;
  }

  /** The far end answers: the ringing B-leg (or a lone A-leg) goes up and is bridged. */
  answerCall(callId: string): void {
    const call = this.requireCall(callId);
    if (call.phase === 'ended' || call.phase === 'answered' || call.phase === 'queued') return;
    const [a, b] = [call.legs[0], call.legs.find((l, i) => i > 0 && !l.endedMs)];
    if (b) {
      this.answerLeg(b);
      if (!a.answered) this.answerLeg(a);
      a.otherLeg = b.callId;
      b.otherLeg = a.callId;
      a.channelState = b.channelState = 'EXCHANGE_MEDIA';
      this.publish(a, 'CHANNEL_BRIDGE');
    } else {
      this.answerLeg(a);
    }
    const wasOffered = call.phase === 'offered';
    call.phase = 'answered';
    if (wasOffered) this.events.emit('delivered', call, b);
  }

  /**
   * Hangs up a call. Given the ringing B-leg of a Qubicle offer, only that leg ends (the
   * recipient rejected/missed the offer) and the caller stays queued.
   */
  hangupCall(callId: string, cause = 'NORMAL_CLEARING'): void {
    const call = this.requireCall(callId);
    if (call.phase === 'ended') return;
    const leg = call.legs.find((l) => l.callId === callId);
    if (call.phase === 'offered' && leg && leg !== call.legs[0]) {
      this.endLeg(leg, cause === 'NORMAL_CLEARING' ? 'CALL_REJECTED' : cause);
      call.phase = 'queued';
      this.events.emit('offer-rejected', call, leg);
      return;
    }
    const wasPhase = call.phase;
    call.phase = 'ended';
    for (const l of call.legs) if (!l.endedMs) this.endLeg(l, cause);
    this.calls.delete(call.id);
    this.events.emit('ended', call, wasPhase);
    for (const l of call.legs) this.legIndex.delete(l.callId);
  }

  /** Ends the ringing B-leg of an offer that is being withdrawn (caller hung up or moved). */
  withdrawOffer(call: Call, cause = 'ORIGINATOR_CANCEL'): void {
    for (const l of call.legs.slice(1)) if (!l.endedMs) this.endLeg(l, cause);
  }

  private answerLeg(leg: Leg): void {
    if (leg.answered) return;
    leg.answered = true;
    leg.answeredMs = Date.now();
    leg.callState = 'ACTIVE';
    leg.channelState = 'EXECUTE';
    this.publish(leg, 'CHANNEL_ANSWER');
  }

  private endLeg(leg: Leg, cause: string): void {
    leg.endedMs = Date.now();
    leg.hangupCause = cause;
    leg.hangupCode = HANGUP_CODES[cause] ?? 'sip:500';
    leg.callState = 'HANGUP';
    leg.channelState = 'HANGUP';
    this.publish(leg, 'CHANNEL_DESTROY');
  }

  private publish(leg: Leg, event: string): void {
    const account = this.store.accounts.get(leg.accountId);
    this.hub.publish({
      routingKey: `call.${leg.accountId}.${event}.${amqpEncode(leg.callId)}`,
      name: event,
      data: callEventPayload(leg, event, account?.name),
    });
  }

  private newLeg(
    p: Omit<
      Leg,
      'answered' | 'createdMs' | 'isOnHold' | 'fromTag' | 'toTag' | 'bridgeId' | 'channelState' | 'callState'
    >,
  ): Leg {
    return {
      ...p,
      answered: false,
      createdMs: Date.now(),
      isOnHold: false,
      fromTag: tag(),
      toTag: tag(),
      bridgeId: p.otherLeg ?? p.callId,
      channelState: 'ROUTING',
      callState: 'RINGING',
    };
  }

  private callflowId(accountId: string, destination: string): string {
    const key = `${accountId}:${destination}`;
    let id = this.callflowIds.get(key);
    if (!id) this.callflowIds.set(key, (id = newId()));
    return id;
  }

  private carrierResourceId(): string {
    return 'c9a6ea6b4d5c1a2a0b1f0f6f3e3b2a10';
  }

  private requireUser(id: string): UserRec {
    const u = this.store.users.get(id);
    if (!u) throw new Error(`unknown user ${id}`);
    return u;
  }

  private requireCall(callId: string): Call {
    const call = this.legIndex.get(callId);
    if (!call) throw new Error(`unknown call ${callId}`);
    return call;
  }
}
