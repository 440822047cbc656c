/** Shared steps of the event tests: journal reads, settling, event drivers, a seeded PRNG. */
import type { Journaled } from '../../../src/domain/events';
import type { JournalFilter } from '../../../src/events/journal/journal';
import type { AriSimulator } from '../../../src/simulators/ari';
import { waitFor, type Harness } from '../../helpers/gateway-harness';

/** What a client sees of a channel event, reduced to what the journal must agree on. */
export interface SeenEvent {
  type: string;
  cursor: string;
  channelId: string | null;
  reconciled: boolean;
}

export const CHANNEL_EVENT_FIELDS = '__typename cursor channelId reconciled';

export function fromPayload(
  p: { data?: Record<string, any> | null; errors?: unknown },
  field = 'channelEvents',
): SeenEvent {
  if (p.errors || !p.data) throw new Error(`subscription payload with errors: ${JSON.stringify(p)}`);
  const e = p.data[field];
  return { type: e.__typename, cursor: e.cursor, channelId: e.channelId ?? null, reconciled: e.reconciled };
}

export function fromJournal(e: Journaled): SeenEvent {
  return {
    type: e.type,
    cursor: e.cursor,
    channelId: e.ids.channelId ? `${e.backend}:${e.ids.channelId}` : null,
    reconciled: e.reconciled,
  };
}

/** Every journaled event after `after` matching `filter`, in cursor order. */
export async function journalSince(
  h: Harness,
  after: string | null,
  filter: JournalFilter = { categories: ['channel'] },
): Promise<Journaled[]> {
  const out: Journaled[] = [];
  let cursor = after;
  for (;;) {
    const page = await h.gateway.events.journal.read(cursor, { limit: 500, filter });
    out.push(...page);
    if (page.length < 500) return out;
    cursor = page[page.length - 1].cursor;
  }
}

export async function latestCursor(h: Harness): Promise<string> {
  return (await h.gateway.events.journal.latestCursor()) ?? '0';
}

/** Ingest leads the backend, its socket is up and the reconcile after connecting is done. */
export async function waitForLiveView(h: Harness, backend = 'pbx1', timeoutMs = 5000): Promise<void> {
  await waitFor(() => h.gateway.events.liveChannels(backend) !== null, `live view of ${backend}`, timeoutMs);
}

/**
 * Waits until nothing more is being journaled or dispatched: the journal's newest cursor is the
 * dispatcher's, and stayed so over a few polls (the simulator's timers have fired).
 */
export async function quiesce(h: Harness, quietMs = 150, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let since = Date.now();
  for (;;) {
    const latest = await latestCursor(h);
    const delivered = h.gateway.events.dispatcher.lastCursor;
    const key = `${latest}/${delivered}`;
    if (key !== last || latest !== delivered) {
      last = key;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return latest;
    }
    if (Date.now() > deadline) throw new Error(`journal still busy after ${timeoutMs} ms (${key})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Items of a `subscribe()` collector, waiting until one carries `cursor` (or later). */
export async function seenThrough(
  sub: { items: Array<{ data?: any; errors?: unknown }>; failure: unknown },
  cursor: string,
  field = 'channelEvents',
  timeoutMs = 5000,
): Promise<SeenEvent[]> {
  await waitFor(
    () =>
      sub.failure !== undefined ||
      sub.items.some((i) => i.data?.[field] && BigInt(i.data[field].cursor) >= BigInt(cursor)),
    `subscription to reach cursor ${cursor}`,
    timeoutMs,
  );
  if (sub.failure !== undefined) throw new Error(`subscription failed: ${JSON.stringify(sub.failure)}`);
  return sub.items.map((i) => fromPayload(i, field));
}

/** Runs `step` until stopped; keeps events flowing while a test resubscribes. */
export function driveContinuously(step: (i: number) => Promise<void>): { stop(): Promise<number> } {
  let running = true;
  let n = 0;
  const loop = (async () => {
    while (running) {
      await step(n++);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return n;
    },
  };
}

/** An inbound call into the app, answered, then hung up by the far end: a burst of events. */
export async function inboundCallCycle(sim: AriSimulator, endpoint = 'PJSIP/alice'): Promise<string> {
  const id = sim.inboundCall({ endpoint, exten: '100', app: 'patchbay', answered: true });
  await new Promise((r) => setTimeout(r, 2));
  if (sim.channelIds().includes(id)) sim.farEndHangup(id);
  return id;
}

/** mulberry32: a tiny seeded PRNG, so a failing property run can be replayed from its seed. */
export function prng(seed: number): { next(): number; int(n: number): number; pick<T>(xs: readonly T[]): T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
}

/** Cursor order check on a list of cursors. */
export function strictlyIncreasing(cursors: string[]): boolean {
  for (let i = 1; i < cursors.length; i++) if (BigInt(cursors[i]) <= BigInt(cursors[i - 1])) return false;
  return true;
}
