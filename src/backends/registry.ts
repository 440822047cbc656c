/** Named backends from config, and routing of requests to them by name or global id. */
import type { BackendKind } from '../domain/channel';
import { badInput, ErrorCode, PatchbayError } from '../domain/errors';
import { componentLogger } from '../log';
import type { KazooBackendLike } from './kazoo/operations';
import type { AriBackendLike, Backend } from './types';

const log = componentLogger('registry');

export class BackendRegistry {
  private readonly byName = new Map<string, Backend>();

  constructor(backends: Backend[]) {
    for (const b of backends) this.byName.set(b.name, b);
  }

  all(): Backend[] {
    return [...this.byName.values()];
  }

  get(name: string): Backend | undefined {
    return this.byName.get(name);
  }

  /** Unknown names are the caller's mistake: BAD_USER_INPUT, before any backend is touched. */
  require(name: string, argName = 'backend'): Backend {
    const b = this.byName.get(name);
    // The known names are not listed: a scoped key must not learn other tenants' backends.
    if (!b) throw badInput(`unknown backend "${name}"`, { argumentName: argName });
    return b;
  }

  /** A backend of the given kind, or UNSUPPORTED_OPERATION naming what the operation needs. */
  requireKind<K extends BackendKind>(name: string, kind: K, operation: string, argName = 'id'): Backend & { kind: K } {
    const b = this.require(name, argName);
    if (b.kind !== kind) {
      throw new PatchbayError(
        ErrorCode.UNSUPPORTED_OPERATION,
        `${operation} is not available on backend "${name}" (kind ${b.kind}); it needs a ${kind} backend`,
        { backend: name, backendKind: b.kind, operation },
      );
    }
    return b as Backend & { kind: K };
  }

  ari(name: string, operation: string, argName = 'id'): AriBackendLike {
    return this.requireKind(name, 'ari', operation, argName) as unknown as AriBackendLike;
  }

  kazoo(name: string, operation: string, argName = 'id'): KazooBackendLike {
    return this.requireKind(name, 'kazoo', operation, argName) as unknown as KazooBackendLike;
  }

  byKind<K extends BackendKind>(kind: K): Array<Backend & { kind: K }> {
    return this.all().filter((b): b is Backend & { kind: K } => b.kind === kind);
  }

  async startAll(): Promise<void> {
    await Promise.all(
      this.all().map((b) =>
        b
          .start()
          .catch((err: Error) => log.warn({ backend: b.name, err: err.message }, 'backend start failed; will retry')),
      ),
    );
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.all().map((b) => b.stop()));
  }
}
