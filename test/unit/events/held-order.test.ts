/** splitHeld and compareProgress: held events placed against a channel list by the backend's progress. */
import type { Channel, ChannelState } from '../../../src/domain/channel';
import { compareProgress, newestSnapshots } from '../../../src/domain/channel-progress';
import { splitHeld, type HeldProbe } from '../../../src/events/held-order';
import { ariChannel } from '../../integration/events-store/event-fixtures';

function ch(id: string, state: ChannelState, appName = '', priority = 1): Channel {
  const base = ariChannel(id);
  return { ...base, state, rawState: state, dialplan: { ...base.dialplan!, exten: 's', priority, appName } };
}

interface Held extends HeldProbe {
  label: string;
}
const held = (label: string, snapshot: Channel | null, destroys = false, channelId = snapshot?.nativeId): Held => ({
  label,
  snapshot,
  destroys,
  channelId,
});
const labels = (xs: Held[]) => xs.map((x) => x.label);

describe('compareProgress / newestSnapshots', () => {
  it('orders by state progress, then dialplan app (none < other < Stasis), then priority', () => {
    expect(compareProgress(ch('1', 'RING'), ch('1', 'UP'))).toBeLessThan(0);
    expect(compareProgress(ch('1', 'DOWN'), ch('1', 'RESERVED'))).toBeLessThan(0);
    expect(compareProgress(ch('1', 'UP', 'AppDial2'), ch('1', 'UP', 'Stasis'))).toBeLessThan(0);
    expect(compareProgress(ch('1', 'UP', ''), ch('1', 'UP', 'Wait'))).toBeLessThan(0);
    expect(compareProgress(ch('1', 'UP', 'Wait', 3), ch('1', 'UP', 'Wait', 2))).toBeGreaterThan(0);
    expect(compareProgress(ch('1', 'UP', 'Wait'), ch('1', 'UP', 'Wait'))).toBe(0);
  });

  it('keeps one entry per id, the newest snapshot wherever it stands, in first-appearance order', () => {
    const list = [
      ch('a;2', 'UP'),
      ch('b', 'UP'),
      ch('a;2', 'RING'),
      ch('c;1', 'UP', 'AppDial2'),
      ch('c;1', 'UP', 'Stasis'),
    ];
    const out = newestSnapshots(list);
    expect(out.map((c) => `${c.nativeId}=${c.state}/${c.dialplan?.appName}`)).toEqual([
      'a;2=UP/',
      'b=UP/',
      'c;1=UP/Stasis',
    ]);
    const plain = [ch('x', 'UP'), ch('y', 'RING')];
    expect(newestSnapshots(plain)).toEqual(plain);
  });
});

describe('splitHeld', () => {
  const split = (items: Held[], listed: Channel[], known: Channel[] = []) => {
    const r = splitHeld(
      items,
      (h) => h,
      new Map(listed.map((c) => [c.nativeId, c])),
      (id) => known.find((c) => c.nativeId === id),
    );
    return { before: labels(r.before), after: labels(r.after) };
  };

  it('a listed channel: older snapshots and the transition into the listed progress go before; the rest after', () => {
    const items = [
      held('created-ring', ch('a', 'RING')),
      held('var-ring', ch('a', 'RING')),
      held('up', ch('a', 'UP')),
      held('var-up', ch('a', 'UP')),
      held('stasis', ch('a', 'UP', 'Stasis')),
    ];
    expect(split(items, [ch('a', 'UP')])).toEqual({
      before: ['created-ring', 'var-ring', 'up'],
      after: ['var-up', 'stasis'],
    });
  });

  it('a listed channel already known at the listed progress: its held events come after', () => {
    expect(split([held('var', ch('a', 'UP'))], [ch('a', 'UP')], [ch('a', 'UP')])).toEqual({
      before: [],
      after: ['var'],
    });
    expect(split([held('up', ch('a', 'UP'))], [ch('a', 'UP')], [ch('a', 'RING')])).toEqual({
      before: ['up'],
      after: [],
    });
  });

  it('an unlisted channel destroyed among the held events: all of it before; an unlisted one without: after', () => {
    const items = [
      held('gone-var', ch('g', 'UP')),
      held('new-created', ch('n', 'RING')),
      held('gone-destroyed', ch('g', 'UP'), true),
    ];
    expect(split(items, [])).toEqual({ before: ['gone-var', 'gone-destroyed'], after: ['new-created'] });
  });

  it('events about no channel, or without a snapshot, go after; each half keeps arrival order', () => {
    const items = [
      held('bridge', null, false, undefined),
      held('playback', null, false, 'a'),
      held('ring', ch('a', 'RING')),
    ];
    expect(split(items, [ch('a', 'UP')])).toEqual({ before: ['ring'], after: ['bridge', 'playback'] });
  });
});
