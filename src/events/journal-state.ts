/** What the journal last said about a backend: where ingest resumes its diff after a restart. */
import type { Channel } from '../domain/channel';
import type { NormalizedEvent } from '../domain/events';
import type { AvailabilityState } from '../domain/recipient';
import type { Database } from '../store/database';
import { decodeEvent } from './journal/codec';
import { recipientKey } from './reconcile';

/** Channels whose latest journaled event is not ChannelDestroyed, as that event saw them. */
export async function knownChannels(db: Database, backend: string): Promise<Channel[]> {
  const rows = await db.query<{ payload: unknown }>(
    `SELECT DISTINCT ON (channel_id) payload FROM event_journal
      WHERE backend = $1 AND category = 'channel' AND channel_id IS NOT NULL
      ORDER BY channel_id, seq DESC`,
    [backend],
  );
  const out: Channel[] = [];
  for (const r of rows) {
    const e = decodeEvent(r.payload) as NormalizedEvent;
    if (e.category === 'channel' && e.type !== 'ChannelDestroyed' && e.channel) out.push(e.channel);
  }
  return out;
}

/** Latest known availability per `<accountId>/<recipientId>`. */
export async function knownAgentStates(db: Database, backend: string): Promise<Map<string, AvailabilityState>> {
  const rows = await db.query<{ payload: unknown }>(
    `SELECT DISTINCT ON (recipient_id) payload FROM event_journal
      WHERE backend = $1 AND category = 'agent' AND recipient_id IS NOT NULL
      ORDER BY recipient_id, seq DESC`,
    [backend],
  );
  const out = new Map<string, AvailabilityState>();
  for (const r of rows) {
    const e = decodeEvent(r.payload) as NormalizedEvent;
    if (e.category === 'agent' && e.availabilityState && e.ids.recipientId) out.set(recipientKey(e.ids.accountId ?? '', e.ids.recipientId), e.availabilityState);
  }
  return out;
}
