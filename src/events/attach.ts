/** Connects each backend's live event stream to the channel event hub. */
import { AriBackend } from '../backends/ari/backend';
import { KazooBackend } from '../backends/kazoo/backend';
import { toChannelEventRecord } from '../backends/kazoo/map';
import type { Backend } from '../backends/types';
import { attachAriEvents } from './ari-channel-events';
import type { ChannelEventHub } from './channel-event-hub';

export function attachBackendEvents(backend: Backend, hub: ChannelEventHub): () => void {
  if (backend instanceof AriBackend) return attachAriEvents(backend, hub);
  if (backend instanceof KazooBackend) {
    return backend.onEvent((e) => {
      if (e.type === 'call') hub.publish(toChannelEventRecord(e));
    });
  }
  return () => {};
}
