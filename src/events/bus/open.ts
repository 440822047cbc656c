/** Picks the bus for the deployment: Redis when a url is configured, in-process otherwise. */
import { MemoryBus } from './memory-bus';
import { RedisBus, type RedisBusOptions } from './redis-bus';
import type { EventBus } from './types';

export interface OpenEventBusOptions extends RedisBusOptions {
  /** Wait at most this long for the Redis subscription. Default 10 s. */
  readyTimeoutMs?: number;
}

/** Resolves once the bus can deliver; a Redis bus that cannot subscribe is closed and rejected. */
export async function openEventBus(redisUrl: string | undefined, options: OpenEventBusOptions = {}): Promise<EventBus> {
  if (!redisUrl) return new MemoryBus();
  const bus = new RedisBus(redisUrl, options);
  try {
    await bus.ready(options.readyTimeoutMs);
  } catch (err) {
    await bus.close();
    throw err;
  }
  return bus;
}
