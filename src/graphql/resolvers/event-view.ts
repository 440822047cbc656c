/** What event resolvers receive as root: a journaled event, or a ResyncRequired notice. */
import type { EventIds, Journaled } from '../../domain/events';
import type { StreamItem } from '../../events/event-stream';

export type ResyncView = {
  kind: 'resync';
  cursor: string;
  requestedAfter: string;
  occurredAt: Date;
  receivedAt: Date;
  reconciled: false;
  raw: Record<string, unknown>;
  backend: null;
  ids: EventIds;
  channel: null;
};

export type EventView = Journaled | ResyncView;

export function toEventView(item: StreamItem): EventView {
  if (item.kind === 'event') return item.event;
  return {
    kind: 'resync',
    cursor: item.cursor,
    requestedAfter: item.requestedAfter,
    occurredAt: item.at,
    receivedAt: item.at,
    reconciled: false,
    raw: {},
    backend: null,
    ids: {},
    channel: null,
  };
}
