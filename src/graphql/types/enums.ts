/** GraphQL enums. Values are SCREAMING_SNAKE; resolvers map them to wire words. */
import { registerEnumType } from 'type-graphql';

export enum ChannelStateEnum {
  DOWN = 'DOWN',
  RESERVED = 'RESERVED',
  OFF_HOOK = 'OFF_HOOK',
  DIALING = 'DIALING',
  RING = 'RING',
  RINGING = 'RINGING',
  UP = 'UP',
  BUSY = 'BUSY',
  DIALING_OFFHOOK = 'DIALING_OFFHOOK',
  PRE_RING = 'PRE_RING',
  MUTE = 'MUTE',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(ChannelStateEnum, {
  name: 'ChannelState',
  description: 'Channel state as Asterisk defines it (ast_state2str); KAZOO channels map onto RINGING/RING/UP.',
  valuesConfig: {
    DOWN: { description: 'Created, nothing done yet (ARI originate/create before dialing).' },
    RESERVED: { description: 'Resource reserved, not dialed (ARI "Rsrvd").' },
    RING: { description: 'Inbound call arrived, not answered.' },
    RINGING: { description: 'Outbound leg alerting at the far end.' },
    UP: { description: 'Answered.' },
    OFF_HOOK: { description: 'Off hook, nothing dialed yet (ARI "OffHook").' },
    DIALING: { description: 'Digits being dialed.' },
    BUSY: { description: 'The line is busy.' },
    DIALING_OFFHOOK: { description: 'Dialing while off hook (ARI "Dialing Offhook").' },
    PRE_RING: { description: 'About to ring (ARI "Pre-ring").' },
    MUTE: { description: 'Muted at the technology level (ARI "Mute").' },
    UNKNOWN: { description: 'A state the backend reported that patchbay does not know; see rawState.' },
  },
});

export enum BackendKindEnum {
  ARI = 'ari',
  KAZOO = 'kazoo',
}
registerEnumType(BackendKindEnum, {
  name: 'BackendKind',
  description: 'What kind of telephony server a backend is.',
  valuesConfig: {
    ARI: { description: 'Asterisk through ARI.' },
    KAZOO: { description: '2600Hz KAZOO through Crossbar and Blackhole.' },
  },
});

export enum ChannelAction {
  HANGUP = 'HANGUP',
  CONTINUE_IN_DIALPLAN = 'CONTINUE_IN_DIALPLAN',
  MOVE = 'MOVE',
  REDIRECT = 'REDIRECT',
  ANSWER = 'ANSWER',
  RING = 'RING',
  STOP_RINGING = 'STOP_RINGING',
  INDICATE_PROGRESS = 'INDICATE_PROGRESS',
  SEND_DTMF = 'SEND_DTMF',
  MUTE = 'MUTE',
  HOLD = 'HOLD',
  MUSIC_ON_HOLD = 'MUSIC_ON_HOLD',
  SILENCE = 'SILENCE',
  PLAY_MEDIA = 'PLAY_MEDIA',
  RECORD = 'RECORD',
  GET_VARIABLE = 'GET_VARIABLE',
  SET_VARIABLE = 'SET_VARIABLE',
  SNOOP = 'SNOOP',
  DIAL = 'DIAL',
  RTP_STATS = 'RTP_STATS',
  REPORT_TRANSFER_PROGRESS = 'REPORT_TRANSFER_PROGRESS',
  TRANSFER = 'TRANSFER',
  BREAK = 'BREAK',
  SEND_TO_CALLFLOW = 'SEND_TO_CALLFLOW',
  INTERCEPT = 'INTERCEPT',
  RUN_METAFLOW = 'RUN_METAFLOW',
}
registerEnumType(ChannelAction, {
  name: 'ChannelAction',
  description: 'An action a channel accepts. `Channel.capabilities` lists those it accepts now.',
  // Each value names the mutation (or field) it stands for.
  valuesConfig: {
    HANGUP: { description: 'hangupChannel.' },
    CONTINUE_IN_DIALPLAN: { description: 'continueInDialplan.' },
    MOVE: { description: 'moveChannel.' },
    REDIRECT: { description: 'redirectChannel.' },
    ANSWER: { description: 'answerChannel.' },
    RING: { description: 'ringChannel.' },
    STOP_RINGING: { description: 'stopRinging.' },
    INDICATE_PROGRESS: { description: 'indicateProgress.' },
    SEND_DTMF: { description: 'sendDtmf.' },
    MUTE: { description: 'muteChannel / unmuteChannel.' },
    HOLD: { description: 'holdChannel / unholdChannel.' },
    MUSIC_ON_HOLD: { description: 'startMusicOnHold / stopMusicOnHold.' },
    SILENCE: { description: 'startSilence / stopSilence.' },
    PLAY_MEDIA: { description: 'playMedia.' },
    RECORD: { description: 'recordChannel.' },
    GET_VARIABLE: { description: 'Channel.variable / variables.' },
    SET_VARIABLE: { description: 'setChannelVariable.' },
    SNOOP: { description: 'snoopChannel.' },
    DIAL: { description: 'dialChannel.' },
    RTP_STATS: { description: 'Channel.rtpStats.' },
    REPORT_TRANSFER_PROGRESS: { description: 'reportTransferProgress.' },
    TRANSFER: { description: 'transferChannel.' },
    BREAK: { description: 'breakChannel.' },
    SEND_TO_CALLFLOW: { description: 'sendChannelToCallflow.' },
    INTERCEPT: { description: 'interceptChannel.' },
    RUN_METAFLOW: { description: 'runMetaflow.' },
  },
});

export enum HangupReasonEnum {
  NORMAL = 'normal',
  BUSY = 'busy',
  CONGESTION = 'congestion',
  NO_ANSWER = 'no_answer',
  TIMEOUT = 'timeout',
  REJECTED = 'rejected',
  UNALLOCATED = 'unallocated',
  NORMAL_UNSPECIFIED = 'normal_unspecified',
  NUMBER_INCOMPLETE = 'number_incomplete',
  CODEC_MISMATCH = 'codec_mismatch',
  INTERWORKING = 'interworking',
  FAILURE = 'failure',
  ANSWERED_ELSEWHERE = 'answered_elsewhere',
}
registerEnumType(HangupReasonEnum, {
  name: 'HangupReason',
  description: 'Why a channel is hung up; ARI maps it to a Q.850 cause (docs/wire/ari.md §2.3, hangup).',
  valuesConfig: {
    NORMAL: { description: 'Q.850 cause 16 (Normal Clearing).' },
    BUSY: { description: 'Q.850 cause 17 (User busy).' },
    CONGESTION: { description: 'Q.850 cause 34 (No circuit/channel available).' },
    NO_ANSWER: { description: 'Q.850 cause 19 (No answer from user).' },
    TIMEOUT: { description: 'Q.850 cause 18 (No user responding).' },
    REJECTED: { description: 'Q.850 cause 21 (Call rejected).' },
    UNALLOCATED: { description: 'Q.850 cause 1 (Unallocated number).' },
    NORMAL_UNSPECIFIED: { description: 'Q.850 cause 31 (Normal, unspecified).' },
    NUMBER_INCOMPLETE: { description: 'Q.850 cause 28 (Invalid number format).' },
    CODEC_MISMATCH: { description: 'Q.850 cause 58 (Bearer capability not available).' },
    INTERWORKING: { description: 'Q.850 cause 127 (Interworking, unspecified).' },
    FAILURE: { description: 'Q.850 cause 38 (Network out of order).' },
    ANSWERED_ELSEWHERE: { description: 'Q.850 cause 26 (Answered elsewhere).' },
  },
});

export enum MuteDirectionEnum {
  BOTH = 'both',
  IN = 'in',
  OUT = 'out',
}
registerEnumType(MuteDirectionEnum, {
  name: 'MuteDirection',
  description: 'IN: audio from the channel (what the party says); OUT: audio to it (what it hears); BOTH.',
  valuesConfig: {
    BOTH: { description: 'Both directions.' },
    IN: { description: 'Audio from the channel (what its party says).' },
    OUT: { description: 'Audio to the channel (what its party hears).' },
  },
});

export enum RoleEnum {
  ADMIN = 'ADMIN',
  SUPERVISOR = 'SUPERVISOR',
  AGENT = 'AGENT',
  VIEWER = 'VIEWER',
}
registerEnumType(RoleEnum, {
  name: 'Role',
  description: 'What an API key may do; its scope (backends, accounts) limits where.',
  valuesConfig: {
    ADMIN: { description: 'Everything, including keys and the audit log of everyone.' },
    SUPERVISOR: { description: "Read and control channels and agents in its scope; its scope's audit log." },
    AGENT: { description: 'Its own recipient (login, status, wrap-up) only.' },
    VIEWER: { description: 'Read only.' },
  },
});

export enum ChannelDirectionEnum {
  INBOUND = 'inbound',
  OUTBOUND = 'outbound',
}
registerEnumType(ChannelDirectionEnum, {
  name: 'ChannelDirection',
  description: 'Which way a call leg goes, seen from the switch (KAZOO "direction").',
  valuesConfig: {
    INBOUND: { description: 'The switch received this leg (the caller side).' },
    OUTBOUND: { description: 'The switch placed this leg (the callee side).' },
  },
});

export enum SnoopDirectionEnum {
  NONE = 'none',
  BOTH = 'both',
  OUT = 'out',
  IN = 'in',
}
registerEnumType(SnoopDirectionEnum, {
  name: 'SnoopDirection',
  description: 'Audio direction to spy on or whisper into.',
  valuesConfig: {
    NONE: { description: 'Neither direction.' },
    BOTH: { description: 'Both directions.' },
    OUT: { description: 'Audio to the snooped channel.' },
    IN: { description: 'Audio from the snooped channel.' },
  },
});

export enum PlaybackOperationEnum {
  RESTART = 'restart',
  PAUSE = 'pause',
  UNPAUSE = 'unpause',
  REVERSE = 'reverse',
  FORWARD = 'forward',
}
registerEnumType(PlaybackOperationEnum, {
  name: 'PlaybackOperation',
  description: 'Control of a playing media playback.',
  valuesConfig: {
    RESTART: { description: 'Start the current media again.' },
    PAUSE: { description: 'Pause.' },
    UNPAUSE: { description: 'Continue after a pause.' },
    REVERSE: { description: "Skip back (by the playback's skip interval)." },
    FORWARD: { description: "Skip ahead (by the playback's skip interval)." },
  },
});

export enum PlaybackStateEnum {
  QUEUED = 'QUEUED',
  PLAYING = 'PLAYING',
  CONTINUING = 'CONTINUING',
  PAUSED = 'PAUSED',
  DONE = 'DONE',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(PlaybackStateEnum, {
  name: 'PlaybackState',
  description: 'Lifecycle of a playback.',
  valuesConfig: {
    QUEUED: { description: 'Accepted, not playing yet.' },
    PLAYING: { description: 'Playing.' },
    CONTINUING: { description: 'Moving on to the next media of its list.' },
    PAUSED: { description: 'Paused.' },
    DONE: { description: 'Finished.' },
    FAILED: { description: 'Ended by an error (often a hangup during playback).' },
    UNKNOWN: { description: 'A state patchbay does not know.' },
  },
});

export enum RecordingStateEnum {
  QUEUED = 'QUEUED',
  RECORDING = 'RECORDING',
  PAUSED = 'PAUSED',
  DONE = 'DONE',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(RecordingStateEnum, {
  name: 'RecordingState',
  description: 'Lifecycle of a live recording.',
  valuesConfig: {
    QUEUED: { description: 'Accepted, not recording yet.' },
    RECORDING: { description: 'Recording.' },
    PAUSED: { description: 'Paused.' },
    DONE: { description: 'Finished and stored.' },
    FAILED: { description: 'Ended by an error (see cause).' },
    CANCELED: { description: 'Stopped and discarded.' },
    UNKNOWN: { description: 'A state patchbay does not know.' },
  },
});

export enum RecordIfExistsEnum {
  FAIL = 'fail',
  OVERWRITE = 'overwrite',
  APPEND = 'append',
}
registerEnumType(RecordIfExistsEnum, {
  name: 'RecordIfExists',
  description: 'What to do when a recording of that name exists.',
  valuesConfig: {
    FAIL: { description: 'Refuse to record.' },
    OVERWRITE: { description: 'Replace the old recording.' },
    APPEND: { description: 'Add to the old recording.' },
  },
});

export enum RecordTerminateOnEnum {
  NONE = 'none',
  ANY = 'any',
  STAR = '*',
  HASH = '#',
}
registerEnumType(RecordTerminateOnEnum, {
  name: 'RecordTerminateOn',
  description: 'DTMF that ends a recording.',
  valuesConfig: {
    NONE: { description: 'No DTMF ends it.' },
    ANY: { description: 'Any digit ends it.' },
    STAR: { description: '* ends it.' },
    HASH: { description: '# ends it.' },
  },
});

export enum TransferProgressStateEnum {
  CHANNEL_PROGRESS = 'channel_progress',
  CHANNEL_ANSWERED = 'channel_answered',
  CHANNEL_UNAVAILABLE = 'channel_unavailable',
  CHANNEL_DECLINED = 'channel_declined',
}
registerEnumType(TransferProgressStateEnum, {
  name: 'TransferProgressState',
  description: 'Progress of a transfer, reported to the transferee.',
  valuesConfig: {
    CHANNEL_PROGRESS: { description: 'The transfer target is being called.' },
    CHANNEL_ANSWERED: { description: 'The transfer target answered.' },
    CHANNEL_UNAVAILABLE: { description: 'The transfer target cannot be reached.' },
    CHANNEL_DECLINED: { description: 'The transfer target declined.' },
  },
});

export enum ExternalMediaEncapsulationEnum {
  RTP = 'rtp',
  AUDIOSOCKET = 'audiosocket',
  NONE = 'none',
}
registerEnumType(ExternalMediaEncapsulationEnum, {
  name: 'ExternalMediaEncapsulation',
  description: 'Payload encapsulation of an external media channel.',
  valuesConfig: {
    RTP: { description: 'RTP packets.' },
    AUDIOSOCKET: { description: 'The AudioSocket protocol.' },
    NONE: { description: 'Raw audio (WebSocket transport).' },
  },
});

export enum ExternalMediaTransportEnum {
  UDP = 'udp',
  TCP = 'tcp',
  WEBSOCKET = 'websocket',
}
registerEnumType(ExternalMediaTransportEnum, {
  name: 'ExternalMediaTransport',
  description: 'Transport of an external media channel.',
  valuesConfig: {
    UDP: { description: 'UDP.' },
    TCP: { description: 'TCP.' },
    WEBSOCKET: { description: 'WebSocket.' },
  },
});

export enum ExternalMediaConnectionTypeEnum {
  CLIENT = 'client',
  SERVER = 'server',
}
registerEnumType(ExternalMediaConnectionTypeEnum, {
  name: 'ExternalMediaConnectionType',
  description: 'Who connects (SERVER only with WEBSOCKET).',
  valuesConfig: {
    CLIENT: { description: 'Asterisk connects to the external host.' },
    SERVER: { description: 'The external host connects to Asterisk.' },
  },
});

/** What happened to a KAZOO document; the values are Blackhole's event names (docs/wire/kazoo.md §4.6). */
export enum ObjectActionEnum {
  CREATED = 'doc_created',
  EDITED = 'doc_edited',
  DELETED = 'doc_deleted',
}
registerEnumType(ObjectActionEnum, {
  name: 'ObjectAction',
  description: 'What happened to a KAZOO document (Blackhole `object.*` events).',
  valuesConfig: {
    CREATED: { description: 'The document was created (doc_created).' },
    EDITED: { description: 'The document was edited (doc_edited).' },
    DELETED: { description: 'The document was deleted (doc_deleted).' },
  },
});
