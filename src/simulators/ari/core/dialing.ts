/** The core dialing API as ARI uses it (`main/dial.c`): Dial events, far-end progress, answer, timeout. */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';
import { causeToDialStatus } from './causes';
import { dialEvent } from './events';
import { answerChannel } from './answer';
import { enterStasis } from './stasis';
import { findExtension, runPbx } from './dialplan';
import { internalHangup } from './hangup';

export type DialTarget =
  | { kind: 'app'; app: string; appArgs: string }
  | { kind: 'exten'; context: string; exten: string; priority: number }
  | { kind: 'none' }; // create + dial: the channel already sits in Stasis

interface PendingDial {
  dialstring: string;
  target: DialTarget;
}

const pending = new WeakMap<SimChannel, PendingDial>();

export function isDialing(ch: SimChannel): boolean {
  return pending.has(ch);
}

export function startDial(
  engine: AriEngine,
  ch: SimChannel,
  dialstring: string,
  target: DialTarget,
  timeoutMs: number | null,
): void {
  if (ch.destroyed || ch.hangingUp) return;
  pending.set(ch, { dialstring, target });
  ch.outbound = true;
  engine.publishChannel(dialEvent(ch, '', dialstring), ch);
  if (timeoutMs !== null) {
    engine.scheduler.after(
      timeoutMs,
      () => {
        if (pending.has(ch) && ch.state !== 'Up') failDial(engine, ch, 19, 'NOANSWER');
      },
      ch,
    );
  }
  const { ringMs, answerMs } = engine.timing;
  switch (ch.tech) {
    case 'PJSIP':
      if (ringMs > 0) engine.scheduler.after(ringMs, () => farEndRinging(engine, ch), ch);
      engine.scheduler.after(ringMs + answerMs, () => answerChannel(engine, ch), ch);
      return;
    case 'Local': {
      const peer = ch.localPeer;
      if (!peer) return;
      const steps = findExtension(engine, peer.dialplan.context, peer.dialplan.exten);
      if (!steps) {
        // local_call: "No such extension/context" — the call attempt fails.
        failDial(engine, ch, 0, 'CHANUNAVAIL');
        return;
      }
      runPbx(engine, peer, peer.dialplan.context, peer.dialplan.exten, 1);
      return;
    }
    default:
      answerChannel(engine, ch);
  }
}

/** 180 Ringing from the far end (PJSIP) or ringing indicated by a Local `;2`. */
export function farEndRinging(engine: AriEngine, ch: SimChannel): void {
  const p = pending.get(ch);
  if (!p || ch.state !== 'Down') return;
  engine.setState(ch, 'Ringing');
  engine.publishChannel(dialEvent(ch, 'RINGING', p.dialstring), ch);
  if (ch.tech === 'PJSIP') engine.deviceState(ch.deviceName, 'RINGING');
}

/** Called once the dialed leg is Up: Dial ANSWER, then what the originate asked for. */
export function completeDial(engine: AriEngine, ch: SimChannel, between: () => void): void {
  const p = pending.get(ch);
  if (!p) {
    between();
    return;
  }
  pending.delete(ch);
  engine.publishChannel(dialEvent(ch, 'ANSWER', p.dialstring), ch);
  between();
  const t = p.target;
  if (t.kind === 'app') {
    const args = t.appArgs ? t.appArgs.split(',') : [];
    if (!enterStasis(engine, ch, t.app, args)) internalHangup(engine, ch, 0);
  } else if (t.kind === 'exten') {
    runPbx(engine, ch, t.context, t.exten, t.priority);
  }
}

/** The far end refused or nobody answered in time. */
export function failDial(engine: AriEngine, ch: SimChannel, cause: number, status?: string): void {
  const p = pending.get(ch);
  if (!p) return;
  pending.delete(ch);
  engine.publishChannel(dialEvent(ch, status ?? causeToDialStatus(cause), p.dialstring), ch);
  ch.hangupCause = cause;
  internalHangup(engine, ch, cause);
}
