/** Public surface of the ARI backend; everything else in this folder is internal. */
export { AriBackend, type AriBackendTuning } from './backend';
export { AriClient, type RequestOptions } from './client';
export {
  AriEventsSocket,
  type AriEventListener,
  type ConnectionListener,
  type EventsSocketOptions,
} from './events-socket';
export { mapChannel, mapChannelState, mapLiveRecording, mapPlayback, mapRtpStats, parseAriTime } from './map';
export type * as AriWire from './wire.generated';
