/**
 * Which of two snapshots of one channel is newer, judged by how far the call has progressed
 * rather than by where the snapshots were found. A real Asterisk 22 sometimes lists one channel
 * twice in `GET /channels` while a call is set up, once stale (docs/wire/ari.md §7, §8.1);
 * position in the list says nothing about which one is current.
 */
import type { Channel, ChannelState } from './channel';

/** ast_state progression of a call being set up: Down < Rsrvd < OffHook < Dialing < Ring < Ringing < Up. */
const STATE_RANK: Record<ChannelState, number> = {
  UNKNOWN: -1,
  DOWN: 0,
  RESERVED: 1,
  OFF_HOOK: 2,
  DIALING: 3,
  DIALING_OFFHOOK: 3,
  PRE_RING: 4,
  RING: 4,
  RINGING: 5,
  UP: 6,
  BUSY: 6,
  MUTE: 6,
};

/** No dialplan app yet < some app (AppDial2, Dial, Wait ...) < Stasis, where ARI takes over for good. */
function appRank(c: Channel): number {
  const app = c.dialplan?.appName ?? '';
  if (app === '') return 0;
  return app === 'Stasis' ? 2 : 1;
}

/** Priority only orders snapshots at the same context and extension. */
function priorityOrder(a: Channel, b: Channel): number {
  const da = a.dialplan;
  const db = b.dialplan;
  if (!da || !db || da.context !== db.context || da.exten !== db.exten) return 0;
  return da.priority - db.priority;
}

/** < 0 when `a` is an older snapshot than `b`, > 0 when newer, 0 when progress cannot tell them apart. */
export function compareProgress(a: Channel, b: Channel): number {
  return (
    a.createdAt.getTime() - b.createdAt.getTime() ||
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    appRank(a) - appRank(b) ||
    priorityOrder(a, b)
  );
}

/**
 * One entry per native id: the snapshot with the most progress (on a full tie the later one).
 * Order is that of each id's first appearance, so a list without duplicates comes back unchanged.
 */
export function newestSnapshots(channels: readonly Channel[]): Channel[] {
  const byId = new Map<string, Channel>();
  for (const c of channels) {
    const seen = byId.get(c.nativeId);
    if (!seen || compareProgress(c, seen) >= 0) byId.set(c.nativeId, c);
  }
  if (byId.size === channels.length) return [...channels];
  return [...byId.values()];
}
