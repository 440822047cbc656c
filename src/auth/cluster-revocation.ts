/**
 * Revocation across gateway instances, carried by the control bus (src/events/bus/control.ts).
 * A revoke through this instance tells its listeners at once (its sockets of that key close,
 * connection reuse ends) and is published; one heard from another instance drops the key's
 * cached verifications here and tells the same listeners. So a revoked key's sockets close on
 * every instance within the bus's delivery time, not at the next periodic key sweep.
 */
import type { ControlBus } from '../events/bus/control';
import { componentLogger } from '../log';
import type { ApiKeyStore } from './api-keys';

const log = componentLogger('auth.revocation');

type Listener = (keyId: string) => void;

export class ClusterRevocation {
  private readonly listeners = new Set<Listener>();
  private readonly offLocal: () => void;
  private readonly offBus: () => void;

  constructor(
    private readonly keys: Pick<ApiKeyStore, 'onRevoked' | 'invalidate'>,
    private readonly bus: ControlBus,
    private readonly instanceId: string,
  ) {
    this.offLocal = keys.onRevoked((keyId) => {
      this.tell(keyId);
      bus
        .publish({ kind: 'key-revoked', keyId, instance: instanceId })
        .catch((e: Error) =>
          log.warn(
            { keyId, err: e.message },
            'revocation not published; other instances find it at their next key sweep',
          ),
        );
    });
    this.offBus = bus.subscribe((m) => {
      if (m.kind !== 'key-revoked' || m.instance === this.instanceId) return;
      log.info({ keyId: m.keyId, by: m.instance }, 'api key revoked on another instance');
      this.keys.invalidate(m.keyId);
      this.tell(m.keyId);
    });
  }

  /** Called with the key id of every revoke, here or elsewhere in the cluster. Returns unsubscribe. */
  onRevoked(listener: Listener): () => void {
    const entry: Listener = (keyId) => listener(keyId);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  close(): void {
    this.offLocal();
    this.offBus();
    this.listeners.clear();
  }

  private tell(keyId: string): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(keyId);
      } catch (err) {
        log.error({ keyId, err: (err as Error).message }, 'revocation listener threw');
      }
    }
  }
}
