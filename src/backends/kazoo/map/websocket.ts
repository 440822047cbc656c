/** Websocket tracking (cb_websockets) → domain. */
import type { WebsocketBindingGroup, WebsocketSession } from '../../../domain/websocket-session';
import { kazooSecondsToDate } from '../time';
import type { WireBindingCatalogue, WireWebsocketSession } from '../wire';

export function mapWebsocketSession(backend: string, accountId: string, w: WireWebsocketSession): WebsocketSession {
  return {
    backend,
    accountId,
    nativeId: w.websocket_session_id,
    bindings: Array.isArray(w.bindings) ? w.bindings.filter((b): b is string => typeof b === 'string') : [],
    connectedAt: kazooSecondsToDate(w.timestamp),
    source: typeof w.source === 'string' ? w.source : null,
    destination: typeof w.destination === 'string' ? w.destination : null,
    name: typeof w.name === 'string' ? w.name : null,
    metadata: w.metadata ?? null,
  };
}

/** KAZOO answers an unknown id with `data: []`; a one-element array is the session. */
export function mapOneWebsocketSession(
  backend: string,
  accountId: string,
  w: WireWebsocketSession | WireWebsocketSession[] | null | undefined,
): WebsocketSession | null {
  const one = Array.isArray(w) ? w[0] : w;
  if (!one || typeof one !== 'object' || typeof one.websocket_session_id !== 'string') return null;
  return mapWebsocketSession(backend, accountId, one);
}

export function mapBindingCatalogue(c: WireBindingCatalogue): WebsocketBindingGroup[] {
  return Object.entries(c ?? {})
    .filter(([, v]) => Array.isArray(v))
    .map(([category, bindings]) => ({
      category,
      bindings: bindings.filter((b): b is string => typeof b === 'string'),
    }));
}
