/**
 * A tiny PBX: the contexts the capture's Asterisk had (`ari-test` with `echo` and `wait`), an empty
 * `default`, and the `stasis-<app>` context every registered app gets (`_.` → Stasis(app), `h` → NoOp).
 */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';

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

export function stepsFor(engine: AriEngine, ch: SimChannel): Step[] | undefined {
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
