/** Open graphql-ws connections of this instance and their subscriptions (the gatewaySessions query). */
import { randomUUID } from 'node:crypto';

export interface GatewaySubscriptionInfo {
  id: string;
  operationName: string | null;
  query: string;
  startedAt: Date;
}

export interface GatewaySessionInfo {
  id: string;
  instanceId: string;
  connectedAt: Date;
  remoteAddress: string | null;
  userAgent: string | null;
  subscriptions: Map<string, GatewaySubscriptionInfo>;
}

const MAX_QUERY_SHOWN = 2000;

export class GatewaySessionRegistry {
  private readonly sessions = new Map<object, GatewaySessionInfo>();

  constructor(readonly instanceId: string) {}

  open(key: object, remoteAddress: string | null, userAgent: string | null): GatewaySessionInfo {
    const s: GatewaySessionInfo = { id: randomUUID(), instanceId: this.instanceId, connectedAt: new Date(), remoteAddress, userAgent, subscriptions: new Map() };
    this.sessions.set(key, s);
    return s;
  }

  close(key: object): void {
    this.sessions.delete(key);
  }

  subscribe(key: object, id: string, operationName: string | null | undefined, query: string): void {
    this.sessions.get(key)?.subscriptions.set(id, { id, operationName: operationName ?? null, query: query.slice(0, MAX_QUERY_SHOWN), startedAt: new Date() });
  }

  complete(key: object, id: string): void {
    this.sessions.get(key)?.subscriptions.delete(id);
  }

  list(): GatewaySessionInfo[] {
    return [...this.sessions.values()];
  }

  get size(): number {
    return this.sessions.size;
  }
}
