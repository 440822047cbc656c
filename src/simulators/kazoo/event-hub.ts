/**
 * Stand-in for KAZOO's AMQP bus: call, object and Qubicle events are published here with their
 * real routing keys; Blackhole sessions pick what their subscription keys match.
 */
import { EventEmitter } from 'node:events';

export interface BusEvent {
  /** AMQP routing key, e.g. `call.<account>.CHANNEL_CREATE.<encoded call-id>`. */
  routingKey: string;
  /** Payload `Event-Name` (the websocket frame's `name`). */
  name: string;
  /** Normalised (snake_case) payload as Blackhole delivers it. */
  data: Record<string, unknown>;
}

export class EventHub {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Synchronous, like a local bus: listeners see events in publish order. */
  publish(ev: BusEvent): void {
    this.emitter.emit('event', ev);
  }

  onEvent(listener: (ev: BusEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

/** AMQP topic matching: `*` is exactly one segment, `#` zero or more (kazoo_bindings:matches/2). */
export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchSegments(pattern.split('.'), 0, routingKey.split('.'), 0);
}

function matchSegments(p: string[], i: number, k: string[], j: number): boolean {
  if (i === p.length) return j === k.length;
  if (p[i] === '#') {
    for (let skip = j; skip <= k.length; skip++) if (matchSegments(p, i + 1, k, skip)) return true;
    return false;
  }
  if (j === k.length) return false;
  if (p[i] !== '*' && p[i] !== k[j]) return false;
  return matchSegments(p, i + 1, k, j + 1);
}
