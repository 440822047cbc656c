/**
 * One per gateway instance: turns the bus (which may deliver out of order or twice, from several
 * publishing instances) into one gapless stream in journal order, and hands it to local
 * listeners. A gap (seq jumped) is filled from the journal before anything later is delivered, so
 * every instance sees every event exactly once, in cursor order.
 */
import type { Journaled } from '../domain/events';
import { componentLogger } from '../log';
import type { EventBus } from './bus';
import type { EventJournal } from './journal/journal';

const log = componentLogger('dispatcher');
const GAP_FILL_PAGE = 500;

export type DispatchListener = (e: Journaled) => void;

export class EventDispatcher {
  private last = 0n;
  private readonly listeners = new Set<DispatchListener>();
  private chain: Promise<void> = Promise.resolve();
  private unsubscribeBus: (() => void) | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private started = false;

  constructor(
    private readonly journal: EventJournal,
    private readonly bus: EventBus,
  ) {}

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const latest = await this.journal.latestCursor();
    this.last = latest === null ? 0n : BigInt(latest);
    const offBus = this.bus.subscribe((e) => this.enqueue(e));
    // The bus lost messages (Redis resubscribed): read what the journal has.
    const offGap = this.bus.onGap(() => this.scheduleCatchUp());
    this.unsubscribeBus = () => {
      offBus();
      offGap();
    };
  }

  private scheduleCatchUp(): void {
    this.chain = this.chain
      .then(() => this.catchUp())
      .catch((err: Error) => log.warn({ err: err.message }, 'journal catch-up failed'));
  }

  /**
   * Looks at the journal now and then: if a publish never reached the bus (a Redis blip), the
   * events are still journaled, and this delivers them without waiting for a later event.
   */
  startPolling(intervalMs: number): void {
    this.pollTimer ??= setInterval(() => this.scheduleCatchUp(), intervalMs);
    this.pollTimer.unref();
  }

  private async catchUp(): Promise<void> {
    const latest = await this.journal.latestCursor();
    if (latest !== null && BigInt(latest) > this.last) await this.fillGap(BigInt(latest) + 1n);
  }

  /** The cursor of the last event delivered here; live listeners get everything after it. */
  get lastCursor(): string {
    return this.last.toString();
  }

  /**
   * Registers a listener that receives every event after `lastCursor` as of now; returns that
   * cursor (the seam for replay) and the unsubscribe function.
   */
  listen(listener: DispatchListener): { from: string; stop: () => void } {
    this.listeners.add(listener);
    return { from: this.lastCursor, stop: () => this.listeners.delete(listener) };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Journal appends made by this instance are offered directly, without waiting for the bus. */
  offer(events: Journaled[]): void {
    for (const e of events) this.enqueue(e);
  }

  /** Resolves once everything offered so far has been delivered (tests, shutdown). */
  drained(): Promise<void> {
    return this.chain;
  }

  stop(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.unsubscribeBus?.();
    this.unsubscribeBus = null;
    this.listeners.clear();
  }

  private enqueue(e: Journaled): void {
    this.chain = this.chain
      .then(() => this.process(e))
      .catch((err: Error) => log.error({ err: err.message }, 'dispatch failed'));
  }

  private async process(e: Journaled): Promise<void> {
    const seq = BigInt(e.cursor);
    if (seq <= this.last) return;
    if (seq > this.last + 1n) await this.fillGap(seq);
    if (seq <= this.last) return;
    this.deliver(e);
  }

  /** Reads what the journal holds between the last delivered event and `seq` (exclusive). */
  private async fillGap(seq: bigint): Promise<void> {
    for (;;) {
      const page = await this.journal.read(this.lastCursor, { limit: GAP_FILL_PAGE, upTo: (seq - 1n).toString() });
      for (const e of page) if (BigInt(e.cursor) > this.last) this.deliver(e);
      if (page.length < GAP_FILL_PAGE) break;
    }
    // Holes left by rolled-back appends are skipped: nothing exists there to wait for.
    if (this.last < seq - 1n) this.last = seq - 1n;
  }

  private deliver(e: Journaled): void {
    this.last = BigInt(e.cursor);
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        log.error({ err: (err as Error).message }, 'event listener failed');
      }
    }
  }
}
