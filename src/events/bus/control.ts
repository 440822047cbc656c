/**
 * The control channel between gateway instances: small messages about the cluster rather than
 * telephony events — an API key revoked (every instance closes that key's sockets), and each
 * ingest leader's heartbeat saying whether its backend's event socket is up (so followers know
 * whether they can serve that backend's events). In-process when there is one instance; Redis
 * pub/sub on `<events channel>:control` when instances share a Redis.
 *
 * Best effort, like the event bus: a message published while a subscriber reconnects is lost.
 * Revocation keeps its slower safety net (open sockets' keys are re-checked periodically) and
 * heartbeats repeat every second.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { componentLogger } from '../../log';
import { withTimeout } from '../../observability/readiness';
import { redactUrl } from '../../store/database-url';
import { ListenerSet } from './listeners';

export type ControlMessage =
  | { kind: 'key-revoked'; keyId: string; instance: string }
  | { kind: 'ingest-heartbeat'; backend: string; instance: string; connected: boolean; reason: string | null };

export type ControlListener = (message: ControlMessage) => void;

export interface ControlBus {
  /** Delivers to every instance's listeners, this one's included. */
  publish(message: ControlMessage): Promise<void>;
  subscribe(listener: ControlListener): () => void;
  close(): Promise<void>;
}

const log = componentLogger('events.control');

export class MemoryControlBus implements ControlBus {
  private readonly listeners = new ListenerSet<[ControlMessage]>(log);

  async publish(message: ControlMessage): Promise<void> {
    this.listeners.emit(message);
  }

  subscribe(listener: ControlListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

export class RedisControlBus implements ControlBus {
  readonly channel: string;
  /** The publishing connection; free for other commands (the shared rate limiter uses it). */
  readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new ListenerSet<[ControlMessage]>(log);
  private readonly subscribed: Promise<void>;
  private closing: Promise<void> | undefined;

  constructor(url: string, eventsChannel: string, redis: RedisOptions = {}) {
    this.channel = `${eventsChannel}:control`;
    const options: RedisOptions = { disconnectTimeout: 200, ...redis, lazyConnect: false };
    this.commands = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    const where = { redis: redactUrl(url), channel: this.channel };
    for (const client of [this.commands, this.subscriber])
      client.on('error', (err: Error) => log.warn({ ...where, error: err.message }, 'redis connection error'));
    this.subscriber.on('message', (channel: string, text: string) => channel === this.channel && this.deliver(text));
    // ioredis re-subscribes by itself after a reconnect (autoResubscribe, its default).
    this.subscribed = this.subscriber.subscribe(this.channel).then(() => undefined);
    this.subscribed.catch(() => undefined);
  }

  /** Resolves once this instance hears the channel; rejects after timeoutMs. */
  async ready(timeoutMs = 10_000): Promise<void> {
    await withTimeout(this.subscribed, timeoutMs, 'Redis control channel subscription');
  }

  async publish(message: ControlMessage): Promise<void> {
    if (this.closing) return;
    await this.commands.publish(this.channel, JSON.stringify(message));
  }

  subscribe(listener: ControlListener): () => void {
    return this.listeners.add(listener);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.listeners.clear();
      await Promise.all([quit(this.subscriber), quit(this.commands)]);
    })();
    return this.closing;
  }

  private deliver(text: string): void {
    let message: ControlMessage;
    try {
      message = JSON.parse(text) as ControlMessage;
    } catch {
      log.warn('dropped an undecodable control message');
      return;
    }
    this.listeners.emit(message);
  }
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') return void client.disconnect();
  await client.quit().catch(() => client.disconnect());
}

/** Redis when a url is configured (and subscribed before this resolves), in-process otherwise. */
export async function openControlBus(
  redisUrl: string | undefined,
  eventsChannel: string,
  readyTimeoutMs = 10_000,
): Promise<ControlBus> {
  if (!redisUrl) return new MemoryControlBus();
  const bus = new RedisControlBus(redisUrl, eventsChannel);
  try {
    await bus.ready(readyTimeoutMs);
  } catch (err) {
    await bus.close();
    throw err;
  }
  return bus;
}
