/** Open graphql-ws connections of this instance and their subscriptions (the gatewaySessions query). */
import { flatRandomUUID } from './flat-uuid';

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

interface OpenSubscription {
  id: string;
  operationName: string | null;
  query: string;
  startedAtMs: number;
}

/**
 * Kept for every socket while it is open and read only when an admin lists sessions: stored
 * compactly (times as numbers, a socket's few subscriptions in an array, the id made when first
 * listed), and shown as GatewaySessionInfo.
 */
class OpenSession {
  private id: string | null = null;
  readonly connectedAtMs = Date.now();
  readonly subscriptions: OpenSubscription[] = [];

  constructor(
    readonly remoteAddress: string | null,
    readonly userAgent: string | null,
  ) {}

  info(instanceId: string): GatewaySessionInfo {
    const subscriptions = new Map<string, GatewaySubscriptionInfo>();
    for (const s of this.subscriptions)
      subscriptions.set(s.id, {
        id: s.id,
        operationName: s.operationName,
        query: s.query,
        startedAt: new Date(s.startedAtMs),
      });
    return {
      id: (this.id ??= flatRandomUUID()),
      instanceId,
      connectedAt: new Date(this.connectedAtMs),
      remoteAddress: this.remoteAddress,
      userAgent: this.userAgent,
      subscriptions,
    };
  }
}

export class GatewaySessionRegistry {
  private readonly sessions = new Map<object, OpenSession>();

  constructor(readonly instanceId: string) {}

  open(key: object, remoteAddress: string | null, userAgent: string | null): void {
    this.sessions.set(key, new OpenSession(remoteAddress, userAgent));
  }

  close(key: object): void {
    this.sessions.delete(key);
  }

  subscribe(key: object, id: string, operationName: string | null | undefined, query: string): void {
    const s = this.sessions.get(key);
    if (!s) return;
    this.removeSubscription(s, id);
    s.subscriptions.push({
      id,
      operationName: operationName ?? null,
      query: query.length > MAX_QUERY_SHOWN ? query.slice(0, MAX_QUERY_SHOWN) : query,
      startedAtMs: Date.now(),
    });
  }

  complete(key: object, id: string): void {
    const s = this.sessions.get(key);
    if (s) this.removeSubscription(s, id);
  }

  list(): GatewaySessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info(this.instanceId));
  }

  get size(): number {
    return this.sessions.size;
  }

  private removeSubscription(s: OpenSession, id: string): void {
    const at = s.subscriptions.findIndex((x) => x.id === id);
    if (at >= 0) s.subscriptions.splice(at, 1);
  }
}
