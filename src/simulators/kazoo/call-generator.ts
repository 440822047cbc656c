/**
 * Keeps a KAZOO simulator lively for the demo: calls come and go (queue calls, internal calls,
 * PSTN calls), phones ring, answer or miss, and recipients log in, go ready/away and move
 * through Call-Offer → On-A-Call → Wrapup-Time. Everything goes through the simulator's own
 * hooks, so Blackhole sees the same events a real switch would produce.
 */
import { componentLogger } from '../../log';
import type { BusEvent, KazooSimulator } from './index';

const log = componentLogger('kazoo-sim.generator');

export interface KazooCallGeneratorOptions {
  /** Accounts to drive; default every account that has users. */
  accountIds?: string[];
  /** Pause between new calls, [min, max] ms. Default [2000, 5000]. */
  callIntervalMs?: [number, number];
  /** Ringing time before the far end answers, [min, max] ms. Default [1000, 4000]. */
  ringMs?: [number, number];
  /** Talk time, [min, max] ms. Default [5000, 20000]. */
  talkMs?: [number, number];
  /** Pause between agent state changes, [min, max] ms. Default [1500, 4000]. */
  agentIntervalMs?: [number, number];
  /** A queue caller hangs up after waiting this long unanswered. Default 30000. */
  maxQueueWaitMs?: number;
  maxConcurrentCalls?: number;
  /** Share of offers/rings that go unanswered. Default 0.1. */
  missRate?: number;
  random?: () => number;
}

export interface KazooCallGenerator {
  stop(): void;
}

export function startKazooCallGenerator(sim: KazooSimulator, o: KazooCallGeneratorOptions = {}): KazooCallGenerator {
  const rnd = o.random ?? Math.random;
  const between = ([min, max]: [number, number]) => min + Math.floor(rnd() * (max - min + 1));
  const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(rnd() * xs.length)] : undefined);
  const callInterval = o.callIntervalMs ?? [2000, 5000];
  const ringMs = o.ringMs ?? [1000, 4000];
  const talkMs = o.talkMs ?? [5000, 20000];
  const agentInterval = o.agentIntervalMs ?? [1500, 4000];
  const maxWait = o.maxQueueWaitMs ?? 30_000;
  const maxCalls = o.maxConcurrentCalls ?? 6;
  const missRate = o.missRate ?? 0.1;

  const world = sim.world;
  const accountIds =
    o.accountIds ?? world.accounts.filter((a) => world.users.some((u) => u.accountId === a.id)).map((a) => a.id);
  /** A-leg ids of the calls this generator started and that are still up. */
  const mine = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (stopped) return;
      try {
        fn();
      } catch (err) {
        log.debug({ err }, 'generator step skipped');
      }
    }, ms);
    timers.add(t);
  };

  const alive = (callId: string) => sim.callLegs(callId).length > 0;

  function startOneCall(): void {
    if (mine.size >= maxCalls) return;
    const accountId = pick(accountIds);
    if (!accountId) return;
    const w = sim.world;
    const queues = w.queues.filter((q) => q.accountId === accountId);
    const users = w.users.filter((u) => u.accountId === accountId && u.deviceIds.length > 0);
    const roll = rnd();
    let callId: string;
    if (queues.length > 0 && roll < 0.55) {
      callId = sim.startCall({ accountId, queueId: pick(queues)!.id });
      later(maxWait, () => {
        if (mine.has(callId) && sim.callLegs(callId).length === 1) sim.hangupCall(callId, 'ORIGINATOR_CANCEL');
      });
    } else if (users.length >= 2 && roll < 0.8) {
      const from = pick(users)!;
      const to = pick(users.filter((u) => u.id !== from.id))!;
      callId = sim.startCall({ accountId, fromUserId: from.id, toUserId: to.id });
    } else if (users.length > 0) {
      callId = sim.startCall({ accountId, toUserId: pick(users)!.id });
    } else {
      return;
    }
    mine.add(callId);
  }

  function onEvent(ev: BusEvent): void {
    const d = ev.data as Record<string, unknown>;
    if (ev.name === 'CHANNEL_CREATE' && d.call_direction === 'outbound') {
      const aLeg = d.other_leg_call_id as string | undefined;
      const bLeg = d.call_id as string;
      if (!aLeg) return;
      // The B-leg may ring inside startCall, before the call-id is known here: decide later.
      later(between(ringMs), () => {
        if (!mine.has(aLeg) || !sim.callLegs(aLeg).includes(bLeg)) return;
        if (rnd() < missRate) sim.hangupCall(bLeg, 'NO_ANSWER');
        else sim.answerCall(bLeg);
      });
    } else if (ev.name === 'CHANNEL_BRIDGE') {
      const aLeg = d.call_id as string;
      if (!mine.has(aLeg)) return;
      later(between(talkMs), () => {
        if (alive(aLeg)) sim.hangupCall(aLeg, 'NORMAL_CLEARING');
      });
    } else if (ev.name === 'CHANNEL_DESTROY') {
      const id = d.call_id as string;
      if (mine.has(id)) mine.delete(id);
    }
  }

  function moveOneAgent(): void {
    const recipients = sim.world.recipients.filter((r) => accountIds.includes(r.accountId));
    const r = pick(recipients);
    if (!r) return;
    const p = rnd();
    switch (sim.recipientState(r.id)) {
      case 'Not-Logged-In':
        if (p < 0.6) sim.recipientCommand(r.id, 'login');
        break;
      case 'Away':
        if (p < 0.65) sim.recipientCommand(r.id, 'ready');
        else if (p > 0.95) sim.recipientCommand(r.id, 'logout');
        break;
      case 'Ready':
        if (p < 0.12) sim.recipientCommand(r.id, 'away');
        break;
      default:
        break;
    }
  }

  const unsubscribe = sim.onEvent(onEvent);
  const callLoop = () => {
    startOneCall();
    later(between(callInterval), callLoop);
  };
  const agentLoop = () => {
    moveOneAgent();
    later(between(agentInterval), agentLoop);
  };
  later(0, callLoop);
  later(0, agentLoop);
  log.info({ accounts: accountIds.length }, 'KAZOO call generator started');

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const id of [...mine]) if (alive(id)) sim.hangupCall(id, 'NORMAL_CLEARING');
      mine.clear();
    },
  };
}
