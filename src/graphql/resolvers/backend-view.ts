import type { Backend as DomainBackend } from '../../backends/types';
import type { Backend } from '../types/backend';
import type { BackendKindEnum } from '../types/enums';

export function backendView(b: DomainBackend): Backend {
  return { name: b.name, kind: b.kind as BackendKindEnum, url: b.url, health: b.health() };
}
