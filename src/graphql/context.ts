import type { GraphQLError } from 'graphql';
import type { AuditLog } from '../auth/audit';
import type { Principal } from '../auth/principal';
import type { BackendRegistry } from '../backends/registry';
import type { CallContext } from '../backends/types';
import type { Channel } from '../domain/channel';
import type { EventDispatcher } from '../events/dispatcher';
import type { EventJournal } from '../events/journal/journal';
import type { IngestStatus } from '../events/ingest';
import { createLoaders, type Loaders } from './loaders';

/** Live channels of a backend from the live view, or null when the view cannot be trusted now. */
export type LiveChannels = (backend: string) => ReadonlyMap<string, Channel> | null;

export interface EventServices {
  journal: EventJournal;
  dispatcher: EventDispatcher;
  live: LiveChannels;
  ingestStatus(backend: string): IngestStatus | null;
}

/** Long-lived services every request can reach. */
export interface GatewayServices {
  registry: BackendRegistry;
  audit: AuditLog;
  events: EventServices;
  sessions: import('./sessions').GatewaySessionRegistry;
}

export interface GraphQLContext extends GatewayServices {
  /** The API key's holder; null only before authentication (every field then refuses). */
  principal: Principal | null;
  loaders: Loaders;
  call: CallContext;
  /**
   * Errors of backends that failed while others answered (partial results). They are appended
   * to the response's `errors` so lists stay lists of real items.
   */
  partialErrors: GraphQLError[];
}

export function createContext(services: GatewayServices, requestId: string | undefined, principal: Principal | null): GraphQLContext {
  const call: CallContext = { requestId };
  return { ...services, principal, call, partialErrors: [], loaders: createLoaders(services.registry, call, services.events.live) };
}

/**
 * graphql-js reuses one context for every event of a subscription; fresh loaders per event keep
 * payloads from reading what an earlier event cached.
 */
export function refreshLoaders(ctx: GraphQLContext): void {
  ctx.loaders = createLoaders(ctx.registry, ctx.call, ctx.events.live);
}
