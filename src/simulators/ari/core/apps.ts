/**
 * Stasis applications: which websocket they are attached to, what they are subscribed to (with
 * interest counters, `res/stasis/app.c`), and event delivery with the per-app event filter.
 */
import type { SimChannel } from './channel';
import { plainEvent, serializeFor, type EventBody } from './events';

export interface EventSink {
  send(text: string): void;
}

export type Scope =
  | { kind: 'channel'; channels: SimChannel[] }
  | { kind: 'app'; app: string }
  | { kind: 'device'; name: string }
  | { kind: 'endpoint'; endpointId: string };

export class StasisApp {
  sink: EventSink | null = null;
  channelAll = false;
  bridgeAll = false;
  endpointAll = false;
  deviceAll = false;
  readonly channelInterest = new Map<string, number>();
  readonly endpointSubs = new Map<string, number>();
  readonly deviceSubs = new Map<string, number>();
  readonly bridgeSubs = new Map<string, number>();
  allowed: Array<{ type: string }> = [];
  disallowed: Array<{ type: string }> = [];

  constructor(readonly name: string) {}

  get active(): boolean {
    return this.sink !== null;
  }

  hasSubscriptions(): boolean {
    return this.channelInterest.size + this.endpointSubs.size + this.deviceSubs.size + this.bridgeSubs.size > 0;
  }

  addInterest(channelId: string, n = 1): void {
    this.channelInterest.set(channelId, (this.channelInterest.get(channelId) ?? 0) + n);
  }

  dropInterest(channelId: string): void {
    const n = (this.channelInterest.get(channelId) ?? 0) - 1;
    if (n > 0) this.channelInterest.set(channelId, n);
    else this.channelInterest.delete(channelId);
  }

  allows(type: string): boolean {
    if (this.disallowed.some((f) => f.type === type)) return false;
    return this.allowed.length === 0 || this.allowed.some((f) => f.type === type);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      channel_ids: [...(this.channelAll ? ['__AST_CHANNEL_ALL_TOPIC'] : []), ...this.channelInterest.keys()],
      bridge_ids: [...(this.bridgeAll ? ['__AST_BRIDGE_ALL_TOPIC'] : []), ...this.bridgeSubs.keys()],
      endpoint_ids: [...(this.endpointAll ? ['__AST_ENDPOINT_ALL_TOPIC'] : []), ...this.endpointSubs.keys()],
      device_names: [...(this.deviceAll ? ['__AST_DEVICE_STATE_ALL_TOPIC'] : []), ...this.deviceSubs.keys()],
      events_allowed: this.allowed.map((f) => ({ ...f })),
      events_disallowed: this.disallowed.map((f) => ({ ...f })),
    };
  }
}

export class AppRegistry {
  readonly apps = new Map<string, StasisApp>();

  constructor(private readonly eid: string) {}

  get(name: string): StasisApp | undefined {
    return this.apps.get(name);
  }

  getOrCreate(name: string): StasisApp {
    let app = this.apps.get(name);
    if (!app) {
      app = new StasisApp(name);
      this.apps.set(name, app);
    }
    return app;
  }

  /** Newest registration wins; the previous socket gets ApplicationReplaced and stays open. */
  register(name: string, sink: EventSink, subscribeAll: boolean): void {
    const existing = this.apps.get(name);
    if (existing) {
      const old = existing.sink;
      if (old && old !== sink) old.send(serializeFor(plainEvent('ApplicationReplaced'), name, this.eid));
      existing.sink = sink;
      return;
    }
    const app = new StasisApp(name);
    if (subscribeAll) app.channelAll = app.bridgeAll = app.endpointAll = app.deviceAll = true;
    app.sink = sink;
    this.apps.set(name, app);
  }

  /** Socket gone: its apps go inactive, lose subscribe-all, and vanish if nothing else holds them. */
  unregisterSink(sink: EventSink): void {
    for (const app of [...this.apps.values()]) {
      if (app.sink !== sink) continue;
      app.sink = null;
      app.channelAll = app.bridgeAll = app.endpointAll = app.deviceAll = false;
      if (!app.hasSubscriptions()) this.apps.delete(app.name);
    }
  }

  forgetChannel(channelId: string): void {
    for (const app of [...this.apps.values()]) {
      app.channelInterest.delete(channelId);
      if (!app.active && !app.hasSubscriptions()) this.apps.delete(app.name);
    }
  }

  deliver(ev: EventBody, scope: Scope): void {
    for (const app of this.apps.values()) {
      if (!this.wants(app, scope)) continue;
      // Inactive apps miss the message ("Inactive Stasis app missed message").
      if (!app.sink || !app.allows(ev.type)) continue;
      app.sink.send(serializeFor(ev, app.name, this.eid));
    }
  }

  private wants(app: StasisApp, scope: Scope): boolean {
    switch (scope.kind) {
      case 'app':
        return app.name === scope.app;
      case 'channel':
        return (
          app.channelAll ||
          scope.channels.some(
            (c) => (app.channelInterest.get(c.id) ?? 0) > 0 || app.endpointSubs.has(`${c.tech}/${c.resource}`),
          )
        );
      case 'device':
        return app.deviceAll || app.deviceSubs.has(scope.name);
      case 'endpoint':
        return app.endpointAll || app.endpointSubs.has(scope.endpointId);
    }
  }
}
