/**
 * The one request policy both transports apply before anything executes: who is calling
 * (API key → principal), how often (token buckets per key, per address without one), how many
 * operations and sockets, and which documents are refused on sight (nesting, subscriptions
 * over HTTP). src/http/graphql-route.ts and src/graphql/ws-server.ts are adapters over it:
 * they turn a Refusal into an HTTP answer or a graphql-ws error / close.
 */
import { Kind, parse, type DocumentNode, type SelectionSetNode } from 'graphql';
import { bearerKey, type Authenticator } from '../auth/authenticator';
import { ConnectionPrincipals } from '../auth/connection-principals';
import type { Principal } from '../auth/principal';
import type { RequestLimiter } from '../auth/rate-limit';
import type { SecurityConfig } from '../config';
import { MAX_NESTING, nestingTooDeep } from '../graphql/limits';
import type { GatewayMetrics } from '../observability/metrics';
import { refuse, type Refusal } from './refusal';

export interface PolicyOptions {
  auth: Authenticator;
  /** In memory, or shared by instances through Redis (src/auth/rate-limit.ts). */
  limiter: RequestLimiter;
  security: SecurityConfig;
  metrics: GatewayMetrics;
}

/** A presented key's outcome: the principal, or why not (`missing`: no key was presented at all). */
export type Authentication = { principal: Principal } | { refusal: Refusal; missing: boolean };

export class AccessPolicy {
  private readonly principals: ConnectionPrincipals;

  constructor(private readonly o: PolicyOptions) {
    this.principals = new ConnectionPrincipals(o.auth);
  }

  get security(): SecurityConfig {
    return this.o.security;
  }

  /**
   * The principal of an Authorization value ("Bearer <key>"). A keep-alive `connection` (the
   * TCP socket) reuses what its key resolved to a moment ago (src/auth/connection-principals.ts).
   */
  async authenticate(authorization: unknown, connection?: object): Promise<Authentication> {
    const presented = bearerKey(authorization);
    if (presented === undefined) return { refusal: refuse.missingKey(), missing: true };
    if (presented === null) return { refusal: refuse.malformedKey(), missing: false };
    const principal = connection
      ? (this.principals.reused(connection, presented) ?? (await this.principals.authenticate(connection, presented)))
      : await this.o.auth.authenticate(presented);
    return principal ? { principal } : { refusal: refuse.unknownKey(), missing: false };
  }

  /** A request's token: a key's requests share one bucket, keyless ones their address's. */
  rateLimit(principal: Principal | null, address: string | undefined): Promise<Refusal | null> {
    return this.take(principal ? `key:${principal.id}` : `addr:${address ?? '?'}`);
  }

  /** A graphql-ws operation: the key's token, then the operations its connection may hold. */
  async operationLimit(principal: Principal, otherOperations: number): Promise<Refusal | null> {
    const limited = await this.take(`key:${principal.id}`);
    if (limited) return limited;
    return otherOperations >= this.o.security.maxSubscriptionsPerConnection
      ? this.count(refuse.tooManyOperations(this.o.security.maxSubscriptionsPerConnection))
      : null;
  }

  /** A new graphql-ws connection for a key that holds `open` already. */
  connectionLimit(open: number): Refusal | null {
    return open >= this.o.security.maxConnectionsPerKey
      ? this.count(refuse.tooManyConnections(this.o.security.maxConnectionsPerKey))
      : null;
  }

  /**
   * Documents refused before parsing and validation: nesting that would overflow graphql-js's
   * recursive parser, and (HTTP) subscriptions, which run over graphql-ws only.
   */
  documentRefusal(query: unknown, transport: 'http' | 'ws'): Refusal | null {
    if (nestingTooDeep(query)) return refuse.nestedTooDeep(MAX_NESTING);
    if (transport === 'http' && declaresSubscription(query))
      return refuse.badRequest('subscriptions run over graphql-ws (WebSocket) on this path, not over HTTP');
    return null;
  }

  /** A keyless request may run this document: config makes introspection public and it asks nothing else. */
  isPublicDocument(query: unknown): boolean {
    return this.o.security.publicIntrospection && this.o.security.introspection && introspectionOnly(query);
  }

  close(): void {
    this.principals.close();
  }

  private async take(bucket: string): Promise<Refusal | null> {
    const allowed = await this.o.limiter.take(bucket);
    return allowed.ok ? null : this.count(refuse.rateLimited(allowed.retryAfterSeconds));
  }

  private count(r: Refusal): Refusal {
    this.o.metrics.rateLimitRejections.inc();
    return r;
  }
}

function parsed(query: unknown): DocumentNode | null {
  if (typeof query !== 'string') return null;
  try {
    return parse(query);
  } catch {
    return null;
  }
}

/**
 * Refused before Apollo: graphql-js's SingleFieldSubscriptionsRule throws, instead of
 * reporting, on a bad @include/@skip argument of a subscription's root field (Apollo: 500).
 * Only documents that mention "subscription" are parsed here.
 */
function declaresSubscription(query: unknown): boolean {
  if (typeof query !== 'string' || !query.includes('subscription')) return false;
  return (
    parsed(query)?.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription') ??
    false
  );
}

/** Every operation selects only `__schema`, `__type` and `__typename` at its root (fragments followed). */
export function introspectionOnly(query: unknown): boolean {
  const document = parsed(query);
  if (!document) return false;
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
  const seen = new Set<string>();
  const onlyMeta = (set: SelectionSetNode): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) return s.name.value.startsWith('__');
      if (s.kind === Kind.INLINE_FRAGMENT) return onlyMeta(s.selectionSet);
      const name = s.name.value;
      if (seen.has(name)) return true;
      seen.add(name);
      const f = fragments.get(name);
      return f !== undefined && onlyMeta(f);
    });
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return (
    ops.length > 0 &&
    ops.every((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'query' && onlyMeta(d.selectionSet))
  );
}
