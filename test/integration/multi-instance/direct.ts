/**
 * Looking past the gateways: the simulator's own ARI REST (what the backend says) and the
 * shared journal table (what was journaled), to compare the gateways' answers with.
 */
import type { Client } from 'pg';
import type { SeenEvent } from './graphql-client';

const AUTH = `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}`;

/** One ARI request to the simulator; returns the parsed JSON body (null for 204). */
export async function ari(
  baseUrl: string,
  method: string,
  path: string,
  query: Record<string, string> = {},
): Promise<any> {
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${baseUrl}${path}${qs ? `?${qs}` : ''}`, { method, headers: { authorization: AUTH } });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`ARI ${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export interface AriChannelRow {
  id: string;
  name: string;
  state: string;
}

export async function ariChannels(baseUrl: string): Promise<AriChannelRow[]> {
  const list = (await ari(baseUrl, 'GET', '/channels')) as AriChannelRow[];
  return list.map((c) => ({ id: c.id, name: c.name, state: c.state })).sort((a, b) => a.id.localeCompare(b.id));
}

export interface JournalRow extends SeenEvent {
  backend: string;
  category: string;
}

export async function journalAfter(pg: Client, after: string): Promise<JournalRow[]> {
  const r = await pg.query<{
    seq: string;
    backend: string;
    category: string;
    type: string;
    reconciled: boolean;
    channel_id: string | null;
    state: string | null;
  }>(
    `SELECT seq::text AS seq, backend, category, type, reconciled, channel_id, payload->'channel'->>'state' AS state
       FROM event_journal WHERE event_journal.seq > $1::bigint ORDER BY event_journal.seq`,
    [after],
  );
  return r.rows.map((x) => ({
    cursor: x.seq,
    backend: x.backend,
    category: x.category,
    type: x.type,
    reconciled: x.reconciled,
    channel: x.channel_id,
    state: x.state,
  }));
}

export async function journalMax(pg: Client): Promise<string> {
  const r = await pg.query<{ max: string | null }>('SELECT max(seq)::text AS max FROM event_journal');
  return r.rows[0].max ?? '0';
}

/** Waits until the journal has stopped growing for `quietMs`; returns its last cursor. */
export async function journalSettled(pg: Client, quietMs = 400, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = await journalMax(pg);
  let since = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = await journalMax(pg);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return last;
    }
    if (Date.now() > deadline) throw new Error(`journal still growing after ${timeoutMs} ms (at ${last})`);
  }
}

/** The fields every view of an event must agree on. */
export function comparable(e: SeenEvent): SeenEvent {
  return { cursor: e.cursor, type: e.type, reconciled: e.reconciled, channel: e.channel, state: e.state };
}
