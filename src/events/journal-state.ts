/** What the journal last said about a backend: where ingest resumes its diff after a restart. */
import type { Channel } from '../domain/channel';
import type { NormalizedEvent } from '../domain/events';
import type { AvailabilityState } from '../domain/recipient';
import type { Database } from '../store/database';
import { decodeEvent } from './journal/codec';
import { recipientKey } from '../domain/recipient-key';

export interface JournaledChannels {
  /** Channels whose latest journaled event is not ChannelDestroyed, as that event saw them. */
  alive: Channel[];
  /** Ids of channels whose latest journaled event is ChannelDestroyed. */
  ended: string[];
}

/** Per channel of the backend, its latest journaled event: alive (with its snapshot) or ended. */
export async function journaledChannels(db: Database, backend: string): Promise<JournaledChannels> {
  const rows = await db.query<{ channel_id: string; type: string; payload: unknown }>(
    `SELECT DISTINCT ON (channel_id) channel_id, type, CASE WHEN type = 'ChannelDestroyed' THEN NULL ELSE payload END AS payload
       FROM event_journal
      WHERE backend = $1 AND category = 'channel' AND channel_id IS NOT NULL
      ORDER BY channel_id, seq DESC`,
    [backend],
  );
  const out: JournaledChannels = { alive: [], ended: [] };
  for (const r of rows) {
    if (r.type === 'ChannelDestroyed') {
      out.ended.push(r.channel_id);
      continue;
    }
    const e = decodeEvent(r.payload) as NormalizedEvent;
    if (e.category === 'channel' && e.channel) out.alive.push(e.channel);
  }
  return out;
}

/** Channels whose latest journaled event is not ChannelDestroyed, as that event saw them. */
export async function knownChannels(db: Database, backend: string): Promise<Channel[]> {
  return (await journaledChannels(db, backend)).alive;
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
    if (e.category === 'agent' && e.availabilityState && e.ids.recipientId)
      out.set(recipientKey(e.ids.accountId ?? '', e.ids.recipientId), e.availabilityState);
  }
  return out;
}
