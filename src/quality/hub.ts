/**
 * Shared RTP polling for call quality. Subscribers of one backend at one interval share one
 * poller: each tick lists the backend's channels once (the live view when healthy), reads every
 * RTP-capable channel's statistics once, and hands the same samples to every subscriber. All
 * pollers of a gateway share one concurrency limit, so a busy PBX is never asked too much at once.
 */
import pLimit from 'p-limit';
import { LRUCache } from 'lru-cache';
import type { BackendRegistry } from '../backends/registry';
import { channelCapabilities } from '../domain/capabilities';
import type { Channel } from '../domain/channel';
import { toGlobalId } from '../domain/ids';
import { createLoaders, type LiveSource } from '../graphql/loaders';
import { componentLogger } from '../log';
import { assessInterval, assessQuality, type CallQuality } from './assess';
import { codecForFormat, type CodecImpairment } from './e-model';

const log = componentLogger('quality');

/** Backend reads in flight at once across all pollers (RTP statistics and codec reads). */
export const MAX_IN_FLIGHT = 8;
/** Asterisk's func_channel: the channel's negotiated audio format, e.g. "(ulaw)" (docs/wire/ari.md §9). */
const CODEC_EXPRESSION = 'CHANNEL(audionativeformat)';

/** One quality sample with the channel it was taken of (for the subscriber's filter and scope). */
export interface QualitySample {
  channel: Channel;
  quality: CallQuality;
}

type Listener = (samples: QualitySample[]) => void;

class BackendPoller {
  /** Each listener with the channel ids it wants (null: every RTP channel of the backend). */
  readonly listeners = new Map<Listener, ReadonlySet<string> | null>();
  private last: QualitySample[] | null = null;
  /** Each channel's previous sample, for the estimate over the last interval. */
  private previous = new Map<string, CallQuality>();
  private running = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly hub: QualityHub,
    readonly backend: string,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
    void this.tick();
  }

  add(listener: Listener, ids: ReadonlySet<string> | null): void {
    this.listeners.set(listener, ids);
    // A late subscriber gets the latest tick's samples now rather than after a whole interval.
    if (this.last) listener(this.last);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The channels some listener wants: null when one wants them all. */
  private wanted(): Set<string> | null {
    const ids = new Set<string>();
    for (const want of this.listeners.values()) {
      if (!want) return null;
      for (const id of want) ids.add(id);
    }
    return ids;
  }

  /** One pass; a pass still running when the next is due makes that one skip (no pile-up). */
  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const samples = await this.hub.sample(this.backend, this.wanted());
      const previous = new Map<string, CallQuality>();
      for (const { quality } of samples) {
        const before = this.previous.get(quality.channelId);
        quality.sinceLastSample = before ? assessInterval(before, quality) : null;
        previous.set(quality.channelId, quality);
      }
      // Channels gone since the last tick drop out here.
      this.previous = previous;
      this.last = samples;
      for (const l of this.listeners.keys()) l(samples);
    } catch (e) {
      log.warn({ backend: this.backend, err: (e as Error).message }, 'quality poll failed');
    } finally {
      this.running = false;
    }
  }
}

export class QualityHub {
  private readonly pollers = new Map<string, BackendPoller>();
  private readonly limit = pLimit(MAX_IN_FLIGHT);
  /** Codec per channel global id (null: unreadable), read once per channel. */
  private readonly codecs = new LRUCache<string, { codec: CodecImpairment | null }>({ max: 50_000, ttl: 3_600_000 });

  constructor(
    private readonly registry: BackendRegistry,
    private readonly live: LiveSource,
  ) {}

  /**
   * Starts (or joins) the poller of a backend at an interval; returns the way out. `ids` narrows
   * what this listener needs polled (the poller reads the union of its listeners' wants).
   */
  watch(
    backend: string,
    intervalSeconds: number,
    listener: Listener,
    ids: ReadonlySet<string> | null = null,
  ): () => void {
    const key = `${backend}\u0000${intervalSeconds}`;
    let poller = this.pollers.get(key);
    if (!poller) {
      poller = new BackendPoller(this, backend, intervalSeconds * 1000);
      this.pollers.set(key, poller);
    }
    poller.add(listener, ids);
    const joined = poller;
    return () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size === 0 && this.pollers.get(key) === joined) {
        joined.stop();
        this.pollers.delete(key);
      }
    };
  }

  /** Quality of the RTP channels of a backend now (those in `ids`, or all); channels without RTP are left out. */
  async sample(backend: string, ids: ReadonlySet<string> | null = null): Promise<QualitySample[]> {
    const loaders = createLoaders(this.registry, { requestId: `quality-${backend}` }, this.live);
    const channels = (await loaders.channelList.load(backend)).filter(
      (c) => (!ids || ids.has(toGlobalId(c.backend, c.nativeId))) && channelCapabilities(c).includes('RTP_STATS'),
    );
    const results = await Promise.all(
      channels.map((c) =>
        this.limit(async () => {
          const id = toGlobalId(c.backend, c.nativeId);
          const stats = await loaders.rtpStats.load(id).catch(() => null);
          if (!stats) return null;
          return { channel: c, quality: assessQuality(id, stats, await this.codecOf(c)) };
        }),
      ),
    );
    return results.filter((s): s is QualitySample => s !== null);
  }

  /** The channel's codec from Asterisk, read once; undefined when it cannot be read or rated. */
  async codecOf(c: Channel): Promise<CodecImpairment | undefined> {
    const id = toGlobalId(c.backend, c.nativeId);
    const known = this.codecs.get(id);
    if (known) return known.codec ?? undefined;
    let codec: CodecImpairment | null = null;
    try {
      const format = await this.registry
        .ari(c.backend, 'quality')
        .getVariable(c.nativeId, CODEC_EXPRESSION, { requestId: `quality-${c.backend}` });
      codec = (format && codecForFormat(format)) || null;
    } catch {
      // Not every channel driver answers the function; G.711 is then assumed (codecKnown: false).
    }
    this.codecs.set(id, { codec });
    return codec ?? undefined;
  }
}

const hubs = new WeakMap<BackendRegistry, QualityHub>();

/** The gateway's hub (one per backend registry, made on first use). */
export function qualityHub(registry: BackendRegistry, live: LiveSource): QualityHub {
  let hub = hubs.get(registry);
  if (!hub) {
    hub = new QualityHub(registry, live);
    hubs.set(registry, hub);
  }
  return hub;
}
