/**
 * The bus shared by gateway instances: Redis pub/sub on one channel, one publishing and one
 * subscribed connection per instance (a subscribed Redis connection can do nothing else).
 * An instance receives its own publishes back through Redis, so local and remote events take
 * the same path.
 *
 * Pub/sub is fire-and-forget: what is published while a subscriber is reconnecting is lost
 * to it. Every re-subscription after the first therefore fires `onGap`, and the consumer
 * catches up from the journal.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Journaled } from '../../domain/events';
import { componentLogger } from '../../log';
import { redactUrl } from '../../store/database-url';
import { decodeJournaled, encodeJournaled } from '../journal/codec';
import { ListenerSet } from './listeners';
import type { BusListener, EventBus } from './types';

export const REDIS_EVENTS_CHANNEL = 'patchbay:events';

export interface RedisBusOptions {
  /** Defaults to REDIS_EVENTS_CHANNEL; tests use their own so parallel runs do not mix. */
  channel?: string;
  /** Extra ioredis options (connectTimeout, retryStrategy, tls, ...). */
  redis?: RedisOptions;
}

export class RedisBus implements EventBus {
  readonly channel: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners;
  private readonly gapListeners;
  private readonly log;
  private readonly subscribed: Promise<void>;
  private subscriptions = 0;
  private closing: Promise<void> | undefined;

  constructor(url: string, options: RedisBusOptions = {}) {
    this.channel = options.channel ?? REDIS_EVENTS_CHANNEL;
    this.log = componentLogger('events.bus', { bus: 'redis', redis: redactUrl(url), channel: this.channel });
    this.listeners = new ListenerSet<[Journaled]>(this.log);
    this.gapListeners = new ListenerSet<[]>(this.log);
    // Resubscription is done here on every 'ready', so we know when it is complete.
    // disconnectTimeout: how long a disconnect() waits on a socket that may already be dead
    // (ioredis's 2 s default would hold the process open after close() while reconnecting).
    const redisOptions: RedisOptions = {
      disconnectTimeout: 200,
      ...options.redis,
      autoResubscribe: false,
      lazyConnect: false,
    };
    this.publisher = new Redis(url, redisOptions);
    this.subscriber = new Redis(url, redisOptions);
    for (const [role, client] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      client.on('error', (err: Error) => this.log.warn({ role, error: err.message }, 'redis connection error'));
      client.on('reconnecting', () => this.log.info({ role }, 'redis reconnecting'));
    }
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));

    let resolveSubscribed!: () => void;
    this.subscribed = new Promise<void>((resolve) => {
      resolveSubscribed = resolve;
    });
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          this.subscriptions += 1;
          if (this.subscriptions === 1) {
            this.log.info('subscribed');
            resolveSubscribed();
          } else {
            this.log.warn(
              { resubscriptions: this.subscriptions - 1 },
              'resubscribed after a reconnect: events may have been missed',
            );
            this.gapListeners.emit();
          }
        },
        (err: unknown) => this.log.warn({ error: String(err) }, 'redis subscribe failed'),
      );
    });
  }

  /**
   * Resolves once the first subscription is in place (before that, this instance would miss
   * its own and others' events). Rejects after timeoutMs with what to check.
   */
  async ready(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis bus not subscribed after ${timeoutMs} ms: is Redis running and the url right?`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.subscribed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async publish(event: Journaled): Promise<void> {
    if (this.closing) throw new Error('event bus is closed');
    await this.publisher.publish(this.channel, JSON.stringify(encodeJournaled(event)));
  }

  subscribe(listener: BusListener): () => void {
    if (this.closing) return () => undefined;
    return this.listeners.add(listener);
  }

  onGap(listener: () => void): () => void {
    if (this.closing) return () => undefined;
    return this.gapListeners.add(listener);
  }

  /** Quits both connections (idempotent); pending publishes are flushed first. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.listeners.clear();
      this.gapListeners.clear();
      await Promise.all([shutDown(this.subscriber), shutDown(this.publisher)]);
      this.log.info('closed');
    })();
    return this.closing;
  }

  private onMessage(channel: string, message: string): void {
    if (channel !== this.channel) return;
    let event: Journaled;
    try {
      event = decodeJournaled(JSON.parse(message));
    } catch (err) {
      this.log.warn({ error: err instanceof Error ? err.message : String(err) }, 'dropped an undecodable bus message');
      return;
    }
    this.listeners.emit(event);
  }
}

async function shutDown(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    // quit() would wait for a connection that may never come back.
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
