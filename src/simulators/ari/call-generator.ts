/**
 * Demo traffic: keeps a few inbound PJSIP calls in the app and makes them do things (DTMF, holds,
 * hang-ups), one action per tick, so a demo GraphiQL has live, changing channels. Deterministic
 * (round-robin, no randomness) and gentle: one action per interval.
 */
import type { AriSimulator } from './index';

export interface AriCallGeneratorOptions {
  app: string;
  targetCalls?: number;
  intervalMs?: number;
  endpoints?: string[];
}

const ACTIONS = ['dtmf', 'hold', 'unhold', 'dtmf', 'hangup'] as const;
const PEOPLE: Record<string, string> = { alice: 'Alice', bob: 'Bob', carol: 'Carol', dave: 'Dave' };

export function startAriCallGenerator(sim: AriSimulator, o: AriCallGeneratorOptions): { stop(): void } {
  const target = o.targetCalls ?? 4;
  const endpoints = o.endpoints ?? ['alice', 'bob', 'carol', 'dave'];
  const calls: string[] = [];
  const held = new Set<string>();
  let tick = 0;
  let stopped = false;

  const step = () => {
    if (stopped) return;
    tick++;
    const live = new Set(sim.channelIds());
    for (let i = calls.length - 1; i >= 0; i--) {
      if (!live.has(calls[i])) {
        held.delete(calls[i]);
        calls.splice(i, 1);
      }
    }
    try {
      if (calls.length < target) {
        const ep = endpoints[tick % endpoints.length];
        const id = sim.inboundCall({
          endpoint: `PJSIP/${ep}`,
          exten: String(200 + (tick % 50)),
          app: o.app,
          appArgs: ['demo'],
          callerId: { name: PEOPLE[ep] ?? ep, number: String(1000 + endpoints.indexOf(ep)) },
          answered: tick % 2 === 0,
        });
        if (sim.channelIds().includes(id)) calls.push(id);
        return;
      }
      const id = calls[tick % calls.length];
      const action = ACTIONS[tick % ACTIONS.length];
      if (action === 'dtmf') sim.farEndDtmf(id, String(tick % 10), 120);
      else if (action === 'hold' && !held.has(id)) {
        sim.farEndHold(id);
        held.add(id);
      } else if (action === 'unhold' && held.has(id)) {
        sim.farEndUnhold(id);
        held.delete(id);
      } else if (action === 'hangup') sim.farEndHangup(id, 16);
    } catch {
      // The gateway may have hung the call up between our snapshot and the action: skip this tick.
    }
  };

  const timer = setInterval(step, o.intervalMs ?? 3000);
  timer.unref();
  step();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
