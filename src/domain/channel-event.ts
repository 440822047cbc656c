import type { Channel } from './channel';

/**
 * A backend event about a channel, as it arrived (type kept as the backend names it).
 * The events issue refines this into typed, journaled events with cursors.
 */
export interface ChannelEventRecord {
  /** Backend event type, e.g. "StasisStart", "ChannelStateChange". */
  type: string;
  backend: string;
  channelNativeId: string | null;
  /** Backend time of the event. */
  occurredAt: Date;
  receivedAt: Date;
  /** The channel snapshot carried by the event, when it carries one. */
  channel: Channel | null;
  raw: Record<string, unknown>;
}
