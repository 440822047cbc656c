/**
 * Which open sockets belong to which API key: to cap connections per key, and to close a key's
 * sockets the moment it is revoked or found expired.
 */
import type { WebSocket } from 'ws';

export const CLOSE_KEY_REVOKED = 4403;

export class KeySockets {
  private readonly byKey = new Map<string, Set<WebSocket>>();

  count(keyId: string): number {
    return this.byKey.get(keyId)?.size ?? 0;
  }

  add(keyId: string, socket: WebSocket): void {
    let set = this.byKey.get(keyId);
    if (!set) this.byKey.set(keyId, (set = new Set()));
    set.add(socket);
  }

  remove(keyId: string, socket: WebSocket): void {
    const set = this.byKey.get(keyId);
    set?.delete(socket);
    if (set && set.size === 0) this.byKey.delete(keyId);
  }

  keyIds(): string[] {
    return [...this.byKey.keys()];
  }

  closeAll(keyId: string, reason: string): number {
    const set = this.byKey.get(keyId);
    if (!set) return 0;
    for (const s of set) s.close(CLOSE_KEY_REVOKED, reason);
    return set.size;
  }
}
