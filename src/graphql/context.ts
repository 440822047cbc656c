import type { GraphQLError } from 'graphql';
import type { BackendRegistry } from '../backends/registry';
import type { CallContext } from '../backends/types';
import type { ChannelEventHub } from '../events/channel-event-hub';
import { createLoaders, type Loaders } from './loaders';

/** Long-lived services every request can reach. */
export interface GatewayServices {
  registry: BackendRegistry;
  events: ChannelEventHub;
}

export interface GraphQLContext extends GatewayServices {
  loaders: Loaders;
  call: CallContext;
  /**
   * Errors of backends that failed while others answered (partial results). They are appended
   * to the response's `errors` so lists stay lists of real items.
   */
  partialErrors: GraphQLError[];
}

export function createContext(services: GatewayServices, requestId: string | undefined): GraphQLContext {
  const call: CallContext = { requestId };
  return { ...services, call, partialErrors: [], loaders: createLoaders(services.registry, call) };
}

/**
 * graphql-js reuses one context for every event of a subscription; fresh loaders per event keep
 * payloads from reading what an earlier event cached.
 */
export function refreshLoaders(ctx: GraphQLContext): void {
  ctx.loaders = createLoaders(ctx.registry, ctx.call);
}
