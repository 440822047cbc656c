/** Domain recipient status → GraphQL shape (logged-out agents get an explicit status). */
import type { RecipientStatus as DomainStatus } from '../../domain/recipient';
import { toAccountScopedId } from '../../domain/scoped-ids';
import type { AvailabilityStateEnum, RecipientStatus, WiretapModeEnum } from '../types/recipient';

export function statusView(backend: string, accountId: string, s: DomainStatus | null): RecipientStatus {
  if (!s) {
    return {
      loggedIn: false,
      available: false,
      availabilityState: 'NOT_LOGGED_IN' as AvailabilityStateEnum,
      rawAvailabilityState: 'not_logged_in',
      queueAvailability: [],
      offeredCall: null,
      handlingCall: null,
      wiretappingRecipient: null,
      wiretapMode: null,
      wrapupTimeSeconds: 0,
      stats: null,
      node: null,
    };
  }
  return {
    loggedIn: s.availabilityState !== 'NOT_LOGGED_IN',
    available: s.available,
    availabilityState: s.availabilityState as AvailabilityStateEnum,
    rawAvailabilityState: s.rawAvailabilityState,
    queueAvailability: s.queueAvailability,
    offeredCall: s.offeredCall,
    handlingCall: s.handlingCall,
    wiretappingRecipient: s.wiretappingRecipientId
      ? toAccountScopedId(backend, accountId, s.wiretappingRecipientId)
      : null,
    wiretapMode: s.wiretapMode as WiretapModeEnum | null,
    wrapupTimeSeconds: s.wrapupTimeSeconds,
    stats: s.stats,
    node: s.node,
  };
}
