/**
 * Call progress: dialing (`main/dial.c`), answering and the dialplan interpreter (`main/pbx.c`).
 * They drive one another (Answer() answers, an answered dial continues in the dialplan or Stasis,
 * a dial to a Local channel runs its dialplan), so they share one module; the dialplan's contexts
 * are data in dialplan-contexts.ts.
 */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';
import { causeToDialStatus } from './causes';
import { dialEvent } from './events';
import { enterStasis } from './stasis';
import { findExtension, stepsFor } from './dialplan-contexts';
import { hangupFromPbx, internalHangup } from './hangup';

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

// Answering: state Up, device INUSE, and the Local-pair / outbound-dial consequences.

export function deviceInUse(engine: AriEngine, ch: SimChannel): void {
  if (ch.tech === 'PJSIP' || ch.tech === 'Local') engine.deviceState(ch.deviceName, 'INUSE');
}

export function answerChannel(engine: AriEngine, ch: SimChannel): void {
  if (ch.state === 'Up' || ch.destroyed) return;
  engine.setState(ch, 'Up');
  ch.rtp?.markUp();
  const owner = ch.tech === 'Local' && ch.localHalf === 2 ? ch.localPeer : null;
  if (owner && !owner.destroyed && owner.state !== 'Up') {
    // core_unreal: the `;2` answering makes the `;1` side Up too (order as in the capture, R4).
    engine.setState(owner, 'Up');
    deviceInUse(engine, owner);
    completeDial(engine, owner, () => deviceInUse(engine, ch));
    return;
  }
  completeDial(engine, ch, () => deviceInUse(engine, ch));
}

/** Starts (or resumes) dialplan execution at the given location. */
export function runPbx(engine: AriEngine, ch: SimChannel, context: string, exten: string, priority: number): void {
  ch.inPbx = true;
  ch.dialplan.context = context;
  ch.dialplan.exten = exten;
  execPriority(engine, ch, priority);
}

function execPriority(engine: AriEngine, ch: SimChannel, priority: number): void {
  if (ch.destroyed || ch.hangingUp) return;
  const steps = stepsFor(engine, ch);
  const step = steps?.[priority - 1];
  if (!step) {
    // Out of dialplan: autofallthrough hangs the channel up.
    hangupFromPbx(engine, ch, 16);
    return;
  }
  const next = () => execPriority(engine, ch, priority + 1);
  if (step.app === 'Answer' && ch.state === 'Up') {
    // Answer() on an answered channel returns at once; Asterisk publishes no snapshot for it.
    Object.assign(ch.dialplan, { priority, appName: step.app, appData: step.data });
    next();
    return;
  }
  engine.setDialplan(ch, { priority, appName: step.app, appData: step.data });
  switch (step.app) {
    case 'Answer': {
      const wasUp = ch.state === 'Up';
      answerChannel(engine, ch);
      // Answer() waits for media on a freshly answered Local channel (the capture shows ~500 ms).
      if (!wasUp && ch.tech === 'Local') engine.scheduler.after(engine.timing.answerMs, next, ch);
      else next();
      return;
    }
    case 'Stasis': {
      const [app, ...args] = step.data.split(',');
      if (!enterStasis(engine, ch, app, args, { setDialplanApp: false })) next();
      return;
    }
    case 'NoOp':
      next();
      return;
    default:
      // Wait / Echo: the channel sits here until something hangs it up.
      return;
  }
}
