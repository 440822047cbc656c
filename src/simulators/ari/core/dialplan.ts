/**
 * A tiny PBX: the contexts the capture's Asterisk had (`ari-test` with `echo` and `wait`), an empty
 * `default`, and the `stasis-<app>` context every registered app gets (`_.` → Stasis(app), `h` → NoOp).
 */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';
import { answerChannel } from './answer';
import { enterStasis } from './stasis';
import { hangupFromPbx } from './hangup';

export interface Step {
  app: string;
  data: string;
  label?: string;
}

const STATIC_CONTEXTS: Record<string, Record<string, Step[]>> = {
  'ari-test': {
    echo: [
      { app: 'Answer', data: '' },
      { app: 'Echo', data: '' },
    ],
    wait: [
      { app: 'Answer', data: '' },
      { app: 'Wait', data: '3600' },
    ],
  },
  default: {},
};

/** Per-channel programs for inbound calls created through the far-end hooks. */
const programs = new WeakMap<SimChannel, { context: string; exten: string; steps: Step[] }>();

/** The extension an inbound call hit; only used while the channel is at that context/exten. */
export function setProgram(ch: SimChannel, steps: Step[]): void {
  programs.set(ch, { context: ch.dialplan.context, exten: ch.dialplan.exten, steps });
}

function stepsFor(engine: AriEngine, ch: SimChannel): Step[] | undefined {
  const p = programs.get(ch);
  if (p && p.context === ch.dialplan.context && p.exten === ch.dialplan.exten) return p.steps;
  return findExtension(engine, ch.dialplan.context, ch.dialplan.exten);
}

export function findExtension(engine: AriEngine, context: string, exten: string): Step[] | undefined {
  const ctx = STATIC_CONTEXTS[context];
  if (ctx) return ctx[exten];
  if (context.startsWith('stasis-')) {
    const app = context.slice('stasis-'.length);
    if (!engine.apps.get(app)) return undefined;
    if (exten === 'h') return [{ app: 'NoOp', data: '' }];
    return exten.length > 0 ? [{ app: 'Stasis', data: app }] : undefined;
  }
  return undefined;
}

export function contextExists(engine: AriEngine, context: string): boolean {
  return context in STATIC_CONTEXTS || (context.startsWith('stasis-') && !!engine.apps.get(context.slice(7)));
}

export function findLabel(engine: AriEngine, context: string, exten: string, label: string): number {
  const steps = findExtension(engine, context, exten);
  const idx = steps?.findIndex((s) => s.label === label) ?? -1;
  return idx < 0 ? -1 : idx + 1;
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
