/**
 * What a Crossbar route handler sees: the parsed request (path params, query, envelope) and
 * the simulator's engines.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CallEngine } from '../calls';
import type { EventHub } from '../event-hub';
import type { QubicleEngine } from '../qubicle/engine';
import type { Store } from '../store';
import type { TokenClaims, TokenIssuer } from '../tokens';
import type { Ok } from './envelope';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

/** A Blackhole session as the tracking API reports it. */
export interface TrackedSession {
  id: string;
  authAccountId?: string;
  /** Accounts the session holds subscriptions for. */
  accountIds: string[];
  bindings: string[];
  connectedMs: number;
  source: string;
  name?: string;
  metadata?: unknown;
}

export interface SimDeps {
  store: Store;
  tokens: TokenIssuer;
  calls: CallEngine;
  qubicle: QubicleEngine;
  hub: EventHub;
  sessions: () => TrackedSession[];
  blackholeHost: string;
  allowSystemWideChannels: () => boolean;
  /** How long an unknown channel lookup waits before its 503 (the AMQP collect timeout). */
  channelLookupTimeoutMs: number;
  /** Delay before a hangup action takes effect on the call. */
  actionEffectMs: number;
}

export interface RequestCtx {
  method: Method;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  requestId: string;
  authToken?: string;
  claims?: TokenClaims;
  /** The envelope's `data` ({} when absent). */
  data: unknown;
  envelope: Record<string, unknown>;
  deps: SimDeps;
}

export type Handler = (ctx: RequestCtx) => Ok | Promise<Ok>;

export interface Route {
  /** Path after /v2 with `:param` segments. */
  path: string;
  methods: Partial<Record<Method, Handler>>;
  /** No token needed (the module authenticates the request itself). */
  public?: boolean;
  /** Custom authorisation for paths without an account (system-wide channels). */
  authorize?: (ctx: RequestCtx) => void;
}

/** cb_context:req_value/2: data body, then query string, then envelope. */
export function reqValue(ctx: RequestCtx, key: string): unknown {
  if (ctx.data && typeof ctx.data === 'object' && !Array.isArray(ctx.data) && key in (ctx.data as object)) {
    return (ctx.data as Record<string, unknown>)[key];
  }
  const q = ctx.query.get(key);
  if (q !== null) return q;
  return ctx.envelope[key];
}

export function dataObject(ctx: RequestCtx): Record<string, unknown> {
  return ctx.data && typeof ctx.data === 'object' && !Array.isArray(ctx.data)
    ? (ctx.data as Record<string, unknown>)
    : {};
}
