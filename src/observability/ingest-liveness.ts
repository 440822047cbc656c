/**
 * Is each backend's event stream alive for this instance, whoever ingests it? Only the holder of
 * a backend's ingest lease opens its event socket; every instance serves that backend's events
 * from the shared journal and bus all the same. So each leader publishes a heartbeat per backend
 * it leads (every second, on the control bus: src/events/bus/control.ts) saying whether its
 * socket is up, and followers judge the backend by the freshest heartbeat they heard.
 */
import type { Backend } from '../backends/types';
import type { ControlBus, ControlMessage } from '../events/bus/control';
import { componentLogger } from '../log';

const log = componentLogger('ingest-liveness');

export const HEARTBEAT_EVERY_MS = 1000;
/** Three heartbeats missed: the leader is gone (killed, cut off) or the lease is changing hands. */
export const HEARTBEAT_STALE_MS = 3500;

export interface IngestView {
  /** Who journals the backend's events, as far as this instance knows. */
  by: 'this instance' | 'another instance' | 'nobody';
  /** The ingesting instance's event socket is open (reported within HEARTBEAT_STALE_MS). */
  alive: boolean;
  /** Why not alive; null when alive. */
  reason: string | null;
  /** Age of the last heartbeat from another instance; null when this instance ingests or none came. */
  heartbeatAgeMs: number | null;
}

export interface IngestLivenessOptions {
  bus: ControlBus;
  instanceId: string;
  backends: readonly Backend[];
  isLeader(backend: string): boolean;
  now?: () => number;
}

interface Heartbeat {
  instance: string;
  connected: boolean;
  reason: string | null;
  at: number;
}

export class IngestLiveness {
  private readonly heard = new Map<string, Heartbeat>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private off: (() => void) | undefined;

  constructor(private readonly o: IngestLivenessOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.off = this.o.bus.subscribe((m) => this.hear(m));
    this.timer = setInterval(() => this.beat(), HEARTBEAT_EVERY_MS);
    this.timer.unref();
    this.beat();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.off?.();
  }

  view(backend: Backend): IngestView {
    if (this.o.isLeader(backend.name)) {
      const h = backend.health();
      return {
        by: 'this instance',
        alive: h.connected,
        reason: h.connected ? null : (h.lastError ?? 'event socket not connected yet'),
        heartbeatAgeMs: null,
      };
    }
    const hb = this.heard.get(backend.name);
    const age = hb ? this.now() - hb.at : null;
    if (!hb || age! > HEARTBEAT_STALE_MS) {
      const reason = hb
        ? `no ingest heartbeat for ${age} ms (lease changing hands?)`
        : 'no instance has reported ingesting it yet';
      return { by: 'nobody', alive: false, reason, heartbeatAgeMs: age };
    }
    const reason = hb.connected ? null : `the ingesting instance reports: ${hb.reason ?? 'event socket not connected'}`;
    return { by: 'another instance', alive: hb.connected, reason, heartbeatAgeMs: age };
  }

  private hear(m: ControlMessage): void {
    if (m.kind !== 'ingest-heartbeat' || m.instance === this.o.instanceId) return;
    this.heard.set(m.backend, { instance: m.instance, connected: m.connected, reason: m.reason, at: this.now() });
  }

  private beat(): void {
    for (const b of this.o.backends) {
      if (!this.o.isLeader(b.name)) continue;
      const h = b.health();
      const message: ControlMessage = {
        kind: 'ingest-heartbeat',
        backend: b.name,
        instance: this.o.instanceId,
        connected: h.connected,
        reason: h.connected ? null : (h.lastError ?? null),
      };
      this.o.bus
        .publish(message)
        .catch((e: Error) => log.warn({ backend: b.name, err: e.message }, 'ingest heartbeat not published'));
    }
  }
}
