export type { BusListener, EventBus } from './types';
export { MemoryBus } from './memory-bus';
export { RedisBus, REDIS_EVENTS_CHANNEL, type RedisBusOptions } from './redis-bus';
export { openEventBus, type OpenEventBusOptions } from './open';
