/** Q.850 cause texts as `main/channel.c` `causes[]` prints them. */
const CAUSE_TEXT: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transmit network',
  3: 'No route to destination',
  6: 'Channel unacceptable',
  7: 'Call awarded and being delivered in an established channel',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  22: 'Number changed',
  26: 'Answered elsewhere',
  27: 'Destination out of order',
  28: 'Invalid number format',
  29: 'Facility rejected',
  30: 'Response to STATus ENQuiry',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  58: 'Bearer capability not available',
  66: 'Channel not implemented',
  127: 'Interworking, unspecified',
};

export function causeText(cause: number): string {
  return CAUSE_TEXT[cause] ?? 'Unknown';
}

/** `convert_reason_to_hangup_code` in res/ari/resource_channels.c. */
export const HANGUP_REASONS: Record<string, number> = {
  normal: 16,
  busy: 17,
  congestion: 34,
  no_answer: 19,
  timeout: 18,
  rejected: 21,
  unallocated: 1,
  normal_unspecified: 31,
  number_incomplete: 28,
  codec_mismatch: 58,
  interworking: 127,
  failure: 38,
  answered_elsewhere: 26,
};

/** chan_pjsip `hangup_cause2sip`: the SIP response that becomes `tech_cause`; 0 means none. */
export function causeToSip(cause: number): number {
  switch (cause) {
    case 1:
    case 2:
    case 3:
      return 404;
    case 34:
    case 42:
      return 503;
    case 18:
      return 408;
    case 19:
    case 20:
    case 31:
      return 480;
    case 21:
      return 403;
    case 22:
      return 410;
    case 28:
      return 484;
    case 17:
      return 486;
    case 38:
    case 127:
      return 500;
    case 29:
    case 66:
      return 501;
    case 27:
      return 502;
    case 58:
      return 488;
    default:
      return 0;
  }
}

/** Dial status reported when the far end refuses an outbound leg. */
export function causeToDialStatus(cause: number): string {
  if (cause === 17) return 'BUSY';
  if (cause === 34 || cause === 42) return 'CONGESTION';
  if (cause === 18 || cause === 19) return 'NOANSWER';
  return 'CHANUNAVAIL';
}
