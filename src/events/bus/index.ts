export type { BusListener, EventBus } from './types';
export { MemoryBus } from './memoryBus';
export { RedisBus, REDIS_EVENTS_CHANNEL, type RedisBusOptions } from './redisBus';
export { openEventBus, type OpenEventBusOptions } from './open';
