/**
 * The events side of an ARI backend: events-socket messages as BackendEvents (normalize.ts does
 * the mapping), and what a reconcile needs of Asterisk (docs/wire/ari.md §4.1, §8).
 */
import type { Channel } from '../../domain/channel';
import type { NormalizedEvent } from '../../domain/events';
import type { AgentReconcile, BackendEvent, BackendEventSource, CallContext } from '../types';
import type { AriEventsSocket } from './events-socket';
import { ariChannelSnapshot, channelIdFromTargetUri, normalizeAriEvent } from './normalize';
import type { AriMessage } from './wire.generated';

/** What the source needs of the backend: its socket and the app subscription. */
export interface AriEventSourceDeps {
  backend: string;
  socket: Pick<AriEventsSocket, 'onEvent' | 'onConnectionChange' | 'reconnect'>;
  /** Subscribes the Stasis app to every channel, bridge, endpoint and device state. */
  subscribeAll(ctx: CallContext): Promise<void>;
}

/** One ARI message; its snapshot is mapped only when asked for (not every event is ingested). */
class AriBackendEvent implements BackendEvent {
  private mapped: Channel | null | undefined;
  readonly destroys: boolean;

  constructor(
    private readonly backend: string,
    private readonly msg: AriMessage,
    /** Arrival time: an event held during a reconcile keeps it. */
    private readonly receivedAt: Date,
  ) {
    this.destroys = msg.type === 'ChannelDestroyed';
  }

  get snapshot(): Channel | null {
    if (this.mapped === undefined) this.mapped = ariChannelSnapshot(this.backend, this.msg, this.receivedAt);
    return this.mapped;
  }

  /** The channel's id, or for playbacks and recordings the channel of their target_uri. */
  get channelId(): string | undefined {
    const m = this.msg as unknown as { playback?: { target_uri?: string }; recording?: { target_uri?: string } };
    return this.snapshot?.nativeId ?? channelIdFromTargetUri(m.playback?.target_uri ?? m.recording?.target_uri);
  }

  /** Dialplan, caller-id and Stasis changes carry snapshots but produce no domain event. */
  get refresh(): Channel | null {
    return this.destroys ? null : this.snapshot;
  }

  toDomain(previous: (channelId: string) => Channel | undefined): NormalizedEvent[] {
    return normalizeAriEvent(this.backend, this.msg, { previous, receivedAt: this.receivedAt });
  }
}

export class AriEventSource implements BackendEventSource {
  constructor(private readonly deps: AriEventSourceDeps) {}

  onEvent(listener: (e: BackendEvent) => void): () => void {
    return this.deps.socket.onEvent((msg) => listener(new AriBackendEvent(this.deps.backend, msg, new Date())));
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    return this.deps.socket.onConnectionChange(listener);
  }

  /**
   * The socket's subscribeAll only applies when Asterisk creates the app; after a reconnect to
   * an app that still exists, hangups of channels outside Stasis would go unheard otherwise.
   */
  prepareReconcile(ctx: CallContext): Promise<void> {
    return this.deps.subscribeAll(ctx);
  }

  /** Another instance may hold the Stasis application now (ApplicationReplaced): take it back. */
  reclaim(): 'reconnecting' {
    this.deps.socket.reconnect();
    return 'reconnecting';
  }

  /** Asterisk has no agents. */
  async reconcileAgents(): Promise<AgentReconcile | null> {
    return null;
  }
}
