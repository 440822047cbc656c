/**
 * Wire → domain for KAZOO: the only place that reads wire shapes into domain types.
 * Split by subject under map/; import from here.
 */
export { channelState, mapChannel, channelFromCallEvent } from './map/channel';
export {
  mapAvailabilityState,
  mapRecipientStatus,
  mapBatchStatuses,
  mapRecipientConfig,
  mapRecipient,
  recipientName,
  buildSetStatusBatch,
  mapSetStatusResults,
} from './map/recipient';
export { mapWebsocketSession, mapOneWebsocketSession, mapBindingCatalogue } from './map/websocket';
export { mapBlackholeEvent } from './map/event';
export { gregorianToDate, dateToGregorian, kazooSecondsToDate, UNIX_EPOCH_IN_GREGORIAN } from './time';
