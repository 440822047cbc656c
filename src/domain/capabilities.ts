/**
 * Which actions a channel accepts now. ARI rules from docs/wire/ari.md §3.2: most control needs the
 * channel inside a Stasis application (else 409), and media/state operations also need a state
 * other than Down, Rsrvd or Ringing (else 412).
 */
import type { Channel } from './channel';

export type ChannelActionName =
  | 'HANGUP'
  | 'CONTINUE_IN_DIALPLAN'
  | 'MOVE'
  | 'REDIRECT'
  | 'ANSWER'
  | 'RING'
  | 'STOP_RINGING'
  | 'INDICATE_PROGRESS'
  | 'SEND_DTMF'
  | 'MUTE'
  | 'HOLD'
  | 'MUSIC_ON_HOLD'
  | 'SILENCE'
  | 'PLAY_MEDIA'
  | 'RECORD'
  | 'GET_VARIABLE'
  | 'SET_VARIABLE'
  | 'SNOOP'
  | 'DIAL'
  | 'RTP_STATS'
  | 'REPORT_TRANSFER_PROGRESS'
  | 'TRANSFER'
  | 'BREAK'
  | 'SEND_TO_CALLFLOW'
  | 'INTERCEPT'
  | 'RUN_METAFLOW';

const NEEDS_STASIS_ONLY: ChannelActionName[] = ['MOVE', 'RECORD', 'SET_VARIABLE', 'REPORT_TRANSFER_PROGRESS'];
const NEEDS_STASIS_AND_LIVE_STATE: ChannelActionName[] = [
  'CONTINUE_IN_DIALPLAN',
  'REDIRECT',
  'ANSWER',
  'RING',
  'STOP_RINGING',
  'INDICATE_PROGRESS',
  'SEND_DTMF',
  'MUTE',
  'HOLD',
  'MUSIC_ON_HOLD',
  'SILENCE',
  'PLAY_MEDIA',
];
const STATES_REFUSED_FOR_MEDIA = new Set(['DOWN', 'RESERVED', 'RINGING']);
/** Channel technologies with RTP glue (rtp_statistics answers 403 for the rest). */
const RTP_TECHNOLOGIES = new Set(['PJSIP', 'SIP', 'UnicastRTP', 'IAX2', 'Motif', 'WebRTC']);

export const KAZOO_ACTIONS: ChannelActionName[] = [
  'HANGUP',
  'TRANSFER',
  'BREAK',
  'SEND_TO_CALLFLOW',
  'INTERCEPT',
  'RUN_METAFLOW',
];

export function isInStasis(c: Channel): boolean {
  return c.dialplan?.appName === 'Stasis';
}

export function channelTechnology(c: Channel): string {
  return c.name.split('/')[0] ?? '';
}

export function channelCapabilities(c: Channel): ChannelActionName[] {
  // KAZOO refuses a transfer of an unbridged call ("Channel is not bridged").
  if (c.backendKind === 'kazoo')
    return KAZOO_ACTIONS.filter((a) => a !== 'TRANSFER' || Boolean(c.kazoo?.otherLegCallId));
  const actions: ChannelActionName[] = ['HANGUP', 'GET_VARIABLE', 'SNOOP'];
  if (RTP_TECHNOLOGIES.has(channelTechnology(c))) actions.push('RTP_STATS');
  if (!isInStasis(c)) return actions;
  actions.push(...NEEDS_STASIS_ONLY);
  if (c.state === 'DOWN' || c.state === 'RESERVED') actions.push('DIAL');
  if (!STATES_REFUSED_FOR_MEDIA.has(c.state)) actions.push(...NEEDS_STASIS_AND_LIVE_STATE);
  return actions;
}
