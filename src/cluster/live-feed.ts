/**
 * The live view across workers. Only the worker holding a backend's ingest lease has it (the
 * shadow its ingest keeps); without it every other worker would answer `channels` from the
 * backend's REST API. So the ingesting worker sends what changed, coalesced to one message per
 * backend per turn of its event loop, and every other worker keeps a replica it reads instead.
 * Channel snapshots are immutable (a change replaces the object), so "changed" is an identity test.
 */
import type { Channel } from '../domain/channel';
import type { EventRuntime } from '../events/runtime';
import type { PrimaryLink } from './link';
import type { LiveDelta } from './messages';

type LiveMap = ReadonlyMap<string, Channel>;

/** Runs on every worker; sends only for backends this worker ingests (or just stopped ingesting). */
export class LiveFeed {
  private readonly sent = new Map<string, LiveMap | null>();
  private readonly due = new Set<string>();
  private scheduled = false;
  private readonly offs: Array<() => void> = [];

  constructor(
    private readonly events: EventRuntime,
    private readonly link: PrimaryLink,
  ) {
    this.offs.push(events.onLiveChange((b) => this.schedule(b)));
    // A worker joined: it has nothing yet, so send everything again.
    this.offs.push(
      link.on('live-resync', () => {
        for (const b of this.sent.keys()) this.schedule(b, true);
      }),
    );
  }

  close(): void {
    for (const off of this.offs) off();
  }

  private schedule(backend: string, resend = false): void {
    if (resend) this.sent.set(backend, new Map());
    this.due.add(backend);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    for (const backend of this.due) {
      const leader = this.events.ingestStatus(backend)?.leader ?? false;
      const before = this.sent.get(backend);
      // A follower never had a view to withdraw; an old leader withdraws its own once.
      if (!leader && (before === undefined || before === null)) continue;
      const now = leader ? this.events.liveChannels(backend) : null;
      if (now === before) continue;
      this.sent.set(backend, now);
      this.link.send({ t: 'live', delta: diff(backend, this.events.instanceId, before ?? null, now) });
    }
    this.due.clear();
  }
}

function diff(backend: string, from: string, before: LiveMap | null, now: LiveMap | null): LiveDelta {
  if (!now) return { backend, from, upserts: null, deletes: [] };
  const upserts: Channel[] = [];
  let added = false;
  for (const [id, c] of now) {
    const old = before?.get(id);
    if (old !== c) upserts.push(c);
    if (old === undefined) added = true;
  }
  const deletes = before ? [...before.keys()].filter((id) => !now.has(id)) : [];
  const order = added || !before ? [...now.keys()] : undefined;
  return { backend, from, upserts, deletes, order };
}

interface Replica {
  from: string;
  /** Never changed once set: the next change builds a new Map. */
  channels: Map<string, Channel>;
}

/** What the other workers' ingest sees, for this worker's reads. */
export class LiveReplica {
  private readonly backends = new Map<string, Replica | null>();
  private readonly offs: Array<() => void>;

  constructor(link: PrimaryLink) {
    this.offs = [
      link.on('live', (m) => this.apply(m.delta)),
      link.on('instance-gone', (m) => {
        for (const [b, r] of this.backends) if (r?.from === m.instanceId) this.backends.set(b, null);
      }),
    ];
  }

  /** The backend's channels as its ingesting worker last said, or null when nobody vouches for them. */
  get(backend: string): LiveMap | null {
    return this.backends.get(backend)?.channels ?? null;
  }

  close(): void {
    for (const off of this.offs) off();
  }

  private apply(d: LiveDelta): void {
    const current = this.backends.get(d.backend);
    if (d.upserts === null) {
      // Only the worker whose view this is can withdraw it (a new leader may already have sent its own).
      if (current?.from === d.from) this.backends.set(d.backend, null);
      return;
    }
    const channels = current && current.from === d.from ? new Map(current.channels) : new Map<string, Channel>();
    for (const id of d.deletes) channels.delete(id);
    for (const c of d.upserts) channels.set(c.nativeId, c);
    const ordered = d.order ? new Map(d.order.map((id) => [id, channels.get(id)!])) : channels;
    // A new Map per change (copied above): the response cache keys its entries on the view's identity.
    this.backends.set(d.backend, { from: d.from, channels: ordered });
  }
}
