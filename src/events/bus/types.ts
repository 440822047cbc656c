/**
 * The event bus carries journaled events to every gateway instance (each filters them for its
 * own subscribers).
 *
 * Delivery is best effort and unordered: events are published after their journal commit, by
 * whichever instance ingested them, so two publishers' events can arrive in any order, and a
 * reconnecting transport can drop or repeat some. The bus makes NO ordering guarantee across
 * publishers. Consumers must treat the journal as the truth: deliver in cursor order, drop
 * cursors already delivered, and fill any gap (a cursor jump, or an `onGap` signal) by reading
 * the journal after the last cursor they delivered.
 */
import type { Journaled } from '../../domain/events';

export type BusListener = (event: Journaled) => void;

export interface EventBus {
  /** Sends an already-journaled event to every instance's subscribers (this one's included). */
  publish(event: Journaled): Promise<void>;
  /** Returns the unsubscribe function. Listeners must not mutate the event (it may be shared). */
  subscribe(listener: BusListener): () => void;
  /**
   * Called when the bus may have dropped events (its transport reconnected): the consumer
   * should read the journal after its last delivered cursor. Returns the unsubscribe function.
   */
  onGap(listener: () => void): () => void;
  close(): Promise<void>;
}
