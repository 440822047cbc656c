import type { Backend as DomainBackend } from '../../backends/types';
import type { EventServices } from '../context';
import type { Backend } from '../types/backend';
import type { BackendKindEnum } from '../types/enums';

export function backendView(b: DomainBackend, events?: EventServices): Backend {
  const status = events?.ingestStatus(b.name) ?? null;
  return {
    id: b.name,
    name: b.name,
    kind: b.kind as BackendKindEnum,
    url: b.url,
    health: b.health(),
    ingest: status && { ...status, liveView: events!.live(b.name) !== null },
  };
}
