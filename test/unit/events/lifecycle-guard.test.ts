/** LifecycleGuard: one ChannelCreated first, at most one ChannelDestroyed last, nothing after. */
import type { Channel } from '../../../src/domain/channel';
import type { ChannelEvent, ChannelEventData, NormalizedEvent } from '../../../src/domain/events';
import { LifecycleGuard } from '../../../src/events/lifecycle-guard';
import { ariChannel, at } from '../../integration/events-store/event-fixtures';

const AT = at(0);

const ch = (id: string): Channel => ariChannel(id);

function ev(id: string, data: ChannelEventData, snapshot = true): ChannelEvent {
  return {
    backend: 'pbx1',
    backendKind: 'ari',
    occurredAt: AT,
    receivedAt: AT,
    reconciled: false,
    ids: { channelId: id },
    raw: { x: 1 },
    category: 'channel',
    channel: snapshot ? ch(id) : null,
    ...data,
  };
}

const created = (id: string) => ev(id, { type: 'ChannelCreated' });
const destroyed = (id: string) => ev(id, { type: 'ChannelDestroyed', causeCode: 16, causeText: 'Normal Clearing' });
const varset = (id: string, snapshot = true) => ev(id, { type: 'VariableSet', name: 'X', value: '1' }, snapshot);
const summary = (events: NormalizedEvent[]) =>
  events.map((e) => `${e.type}:${e.ids.channelId ?? '-'}${e.reconciled ? '(r)' : ''}`);

describe('LifecycleGuard', () => {
  it('passes a well-formed life unchanged', () => {
    const g = new LifecycleGuard();
    const life = [created('a'), varset('a'), destroyed('a')];
    const r = g.admit(life);
    expect(r.admitted).toEqual(life);
    expect(r.dropped).toEqual([]);
    expect(r.synthesized).toBe(0);
  });

  it('drops a second ChannelCreated, in the same batch and in a later one', () => {
    const g = new LifecycleGuard();
    expect(summary(g.admit([created('a'), created('a')]).admitted)).toEqual(['ChannelCreated:a']);
    const r = g.admit([created('a'), varset('a')]);
    expect(summary(r.admitted)).toEqual(['VariableSet:a']);
    expect(summary(r.dropped)).toEqual(['ChannelCreated:a']);
  });

  it('drops everything after ChannelDestroyed, a second Destroyed and a late Created included', () => {
    const g = new LifecycleGuard();
    g.admit([created('a'), destroyed('a')]);
    const r = g.admit([varset('a'), destroyed('a'), created('a')]);
    expect(r.admitted).toEqual([]);
    expect(summary(r.dropped)).toEqual(['VariableSet:a', 'ChannelDestroyed:a', 'ChannelCreated:a']);
  });

  it('synthesises a reconciled Created, from the event snapshot, before the first event of an unknown channel', () => {
    const g = new LifecycleGuard();
    const first = varset('z');
    const r = g.admit([first, destroyed('z')]);
    expect(summary(r.admitted)).toEqual(['ChannelCreated:z(r)', 'VariableSet:z', 'ChannelDestroyed:z']);
    expect(r.synthesized).toBe(1);
    expect(r.admitted[0]).toMatchObject({
      type: 'ChannelCreated',
      reconciled: true,
      raw: {},
      channel: first.channel,
      occurredAt: AT,
    });
  });

  it('drops a snapshot-less event of an unknown channel rather than invent its Created', () => {
    const g = new LifecycleGuard();
    const r = g.admit([varset('q', false)]);
    expect(r.admitted).toEqual([]);
    expect(summary(r.dropped)).toEqual(['VariableSet:q']);
  });

  it('passes events about no channel', () => {
    const g = new LifecycleGuard();
    const agent: NormalizedEvent = {
      backend: 'pbx1',
      backendKind: 'kazoo',
      occurredAt: AT,
      receivedAt: AT,
      reconciled: false,
      ids: { recipientId: 'r' },
      raw: {},
      category: 'agent',
      type: 'AgentStateChanged',
      action: 'READY',
      backendName: 'ready',
      availabilityState: 'READY',
    };
    expect(g.admit([agent]).admitted).toEqual([agent]);
  });

  it('restores from the journal: alive channels take no second Created, ended ones nothing more', () => {
    const g = new LifecycleGuard();
    g.admit([created('old')]);
    g.restore({ alive: ['a'], ended: ['e'] });
    const r = g.admit([created('a'), varset('a'), varset('e'), created('old')]);
    expect(summary(r.admitted)).toEqual(['VariableSet:a', 'ChannelCreated:old']);
    expect(summary(r.dropped)).toEqual(['ChannelCreated:a', 'VariableSet:e']);
  });
});
