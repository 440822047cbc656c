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

/**
 * Loaders are built on first use: a graphql-ws subscriber that joins a shared stream never
 * executes in its own context, and six DataLoaders per idle subscriber add up.
 */
class RequestContext implements GraphQLContext {
  readonly registry: BackendRegistry;
  readonly audit: AuditLog;
  readonly events: EventServices;
  readonly sessions: GatewayServices['sessions'];
  readonly call: CallContext;
  partialErrors: GraphQLError[] = [];
  private built: Loaders | undefined = undefined;

  constructor(
    services: GatewayServices,
    requestId: string | undefined,
    readonly principal: Principal | null,
  ) {
    this.registry = services.registry;
    this.audit = services.audit;
    this.events = services.events;
    this.sessions = services.sessions;
    this.call = { requestId };
  }

  get loaders(): Loaders {
    return (this.built ??= createLoaders(this.registry, this.call, this.events.live));
  }

  set loaders(loaders: Loaders) {
    this.built = loaders;
  }
}

export function createContext(
  services: GatewayServices,
  requestId: string | undefined,
  principal: Principal | null,
): GraphQLContext {
  return new RequestContext(services, requestId, principal);
}

/**
 * graphql-js reuses one context for every event of a subscription; fresh loaders per event keep
 * payloads from reading what an earlier event cached.
 */
export function refreshLoaders(ctx: GraphQLContext): void {
  ctx.loaders = createLoaders(ctx.registry, ctx.call, ctx.events.live);
}
