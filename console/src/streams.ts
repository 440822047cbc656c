/**
 * The live feeds: channelEvents into the channel store, agentEvents into the agents board, both
 * into the event tail, each resuming behind its own last cursor after a dropped socket. The
 * first snapshot is read after subscribing, so nothing between the two is lost.
 */
import type { Banners } from './banners';
import type { ChannelStore } from './channel-store';
import type { Gql } from './client';
import { frame } from './frame';
import * as op from './operations';
import { startQualityStream } from './quality-stream';
import { journalHead, ResumableSubscription } from './resume';
import type { AgentEventMsg, Channel, ChannelEventMsg, Me, Permissions, Recipient } from './types';
import type { AgentsView } from './views/agents';
import type { EventsView } from './views/events';
import type { ConsoleProbe } from './app';

export interface StreamDeps {
  gql: Gql;
  me: Me;
  perms: Permissions;
  quality: string | null;
  qualityStream: boolean;
  store: ChannelStore;
  agents: AgentsView;
  events: EventsView;
  banners: Banners;
  probe: ConsoleProbe;
}

const BACKEND_POLL_MS = 5000;

interface BackendErrorExt {
  code?: string;
  backend?: string;
}

const arrived: Array<[number, number]> = [];

/**
 * Records event-to-DOM latency: the frame that applied the event (scheduled before this job)
 * measures it, from the event's receivedAt and from its arrival in the page.
 */
function measure(probe: ConsoleProbe, receivedAt: string): void {
  const at = Date.parse(receivedAt);
  const now = Date.now();
  probe.arrivals.push(now - at);
  arrived.push([at, now]);
  frame.schedule('latency', () => {
    const done = Date.now();
    for (const [sent, came] of arrived.splice(0)) {
      probe.latencies.push(done - sent);
      probe.inPage.push(done - came);
    }
  });
}

async function loadChannels(d: StreamDeps, fields: string): Promise<void> {
  const r = await d.gql.query<{ channels: Channel[] }>(op.channelsQuery(fields));
  noteReadErrors(d, r.error?.graphQLErrors ?? []);
  if (r.data) d.store.replaceAll(r.data.channels);
}

function startChannelStream(d: StreamDeps, after: string | null): void {
  const fields = op.channelFields(d.quality);
  const sub = new ResumableSubscription<ChannelEventMsg>({
    gql: d.gql,
    after,
    document: op.channelEventsSubscription(fields),
    field: 'channelEvents',
    categories: ['CHANNEL'],
    onEvent: (e) => {
      d.store.apply(e);
      d.events.add('channel', e);
      measure(d.probe, e.receivedAt);
    },
    onResumed: (info) => d.events.resumed('Calls', info),
    onError: (m) => setStatus(`Channel events: ${m}`),
  });
  sub.start();
  d.probe.streams.push(sub);
}

async function loadAgents(d: StreamDeps): Promise<void> {
  if (d.perms.ownRecipient) return d.agents.refresh(d.perms.ownRecipient);
  if (d.me.role === 'AGENT') return;
  const r = await d.gql.query<{ recipients: Recipient[] }>(op.RECIPIENTS);
  noteReadErrors(d, r.error?.graphQLErrors ?? []);
  if (r.data) d.agents.replaceAll(r.data.recipients);
}

function startAgentStream(d: StreamDeps, after: string | null): void {
  const sub = new ResumableSubscription<AgentEventMsg>({
    gql: d.gql,
    after,
    document: op.AGENT_EVENTS,
    field: 'agentEvents',
    categories: ['AGENT'],
    onEvent: (e) => {
      d.agents.apply(e);
      d.events.add('agent', e);
    },
    onResumed: (info) => d.events.resumed('Agents', info),
    onError: (m) => setStatus(`Agent events: ${m}`),
  });
  sub.start();
  d.probe.streams.push(sub);
}

interface BackendHealthRow {
  name: string;
  health: { connected: boolean; lastError: string | null; lastConnectedAt: string | null };
}

/** Backends a read failed on (BACKEND_* errors naming them), with the backend's word. */
const failedReads = new Map<string, string>();

function noteReadErrors(d: StreamDeps, errors: ReadonlyArray<{ message: string; extensions?: unknown }>): void {
  for (const e of errors) {
    const ext = (e.extensions ?? {}) as BackendErrorExt;
    if (ext.backend && ext.code?.startsWith('BACKEND_')) failedReads.set(ext.backend, `${ext.code}: ${e.message}`);
  }
}

/**
 * One banner per failing backend: a read failed on it (until a probe read answers again), or its
 * event stream was up once and is down now. A KAZOO backend without Blackhole never connects,
 * which is configuration, not failure.
 */
async function pollBackends(d: StreamDeps): Promise<void> {
  for (const name of [...failedReads.keys()]) {
    const probe = await d.gql.query(op.BACKEND_PROBE, { backend: name });
    if (!probe.error) failedReads.delete(name);
  }
  const r = await d.gql.query<{ backends: BackendHealthRow[] }>(op.BACKENDS);
  for (const b of r.data?.backends ?? []) {
    const lost =
      !b.health.connected && b.health.lastConnectedAt !== null
        ? `event stream lost (${b.health.lastError ?? 'disconnected'})`
        : null;
    d.banners.set(b.name, failedReads.get(b.name) ?? lost);
  }
}

function setStatus(text: string): void {
  const el = document.getElementById('status');
  if (el) el.textContent = text;
}

export async function startStreams(d: StreamDeps): Promise<void> {
  // Both streams start behind the journal's head (cursors are one sequence across categories):
  // events between this read and the subscriptions are replayed, and a socket dropped before
  // the first event resumes from here rather than going live with a gap.
  const head = await journalHead(d.gql, d.perms.readCalls ? ['CHANNEL', 'AGENT'] : ['AGENT']).catch(() => null);
  if (d.perms.readCalls) startChannelStream(d, head);
  startAgentStream(d, head);
  await new Promise<void>((resolve) => {
    if (d.probe.socketUp) return resolve();
    d.gql.onSocket((up) => up && resolve());
  });
  await Promise.all([d.perms.readCalls ? loadChannels(d, op.channelFields(d.quality)) : undefined, loadAgents(d)]);
  if (d.perms.readCalls) {
    // After the first load: the stream's first samples (sent at once) then find their rows.
    if (d.qualityStream) startQualityStream(d.gql, d.store, (m) => setStatus(`Call quality: ${m}`));
    await pollBackends(d);
    setInterval(() => void pollBackends(d), BACKEND_POLL_MS);
  }
}
