/** The journal/bus codec: exact round trips through JSON text for every event type. */
import type { NormalizedEvent } from '../../../src/domain/events';
import { decodeEvent, decodeJournaled, encodeEvent, encodeJournaled } from '../../../src/events/journal/codec';
import { at, everyEventType, kazooChannelEvent } from './event-fixtures';

const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('journal codec', () => {
  test.each(everyEventType().map((e) => [e.type, e] as const))(
    '%s round-trips exactly through JSON text',
    (_type, event) => {
      const decoded = decodeEvent(throughJson(encodeEvent(event)));
      expect(decoded).toStrictEqual(event);
      expect(decoded.occurredAt).toBeInstanceOf(Date);
      expect(decoded.receivedAt).toBeInstanceOf(Date);
      if (decoded.category === 'channel' && decoded.channel) expect(decoded.channel.createdAt).toBeInstanceOf(Date);
    },
  );

  test('declared dates are ISO strings in place; raw is kept verbatim', () => {
    const event = kazooChannelEvent('call-7');
    const encoded = encodeEvent(event) as any;
    expect(encoded.occurredAt).toBe(at(0).toISOString());
    expect(encoded.receivedAt).toBe(at(1).toISOString());
    expect(encoded.channel.createdAt).toBe(at(-7000).toISOString());
    expect(encoded.raw).toEqual({ name: 'CHANNEL_CREATE', call_id: 'call-7' });
    expect(encoded.channel.kazoo.raw.when).toBe('2026-11-23T09:00:00Z');
  });

  test('a map whose only key looks like a tag is wrapped, and comes back as a map', () => {
    const [, answered] = everyEventType().filter((e) => e.category === 'channel' && e.channel !== null);
    if (answered.category !== 'channel' || !answered.channel) throw new Error('fixture');
    const event = { ...answered, channel: { ...answered.channel, variables: { $date: '2026-01-01T00:00:00.000Z' } } };
    const encoded = encodeEvent(event) as any;
    expect(encoded.channel.variables).toEqual({ $object: { $date: '2026-01-01T00:00:00.000Z' } });
    expect(decodeEvent(throughJson(encoded))).toStrictEqual(event);
  });

  test('a Date in a field the codec does not know is tagged and restored', () => {
    const event = {
      ...kazooChannelEvent('call-8'),
      extra: { since: at(5), list: [at(6), 'x'] },
    } as unknown as NormalizedEvent;
    const encoded = encodeEvent(event) as any;
    expect(encoded.extra.since).toEqual({ $date: at(5).toISOString() });
    expect(decodeEvent(throughJson(encoded))).toStrictEqual(event);
  });

  test('undefined fields are dropped; invalid dates and non-finite numbers are refused', () => {
    const event = { ...kazooChannelEvent('call-9'), ids: { channelId: 'call-9', accountId: undefined } };
    expect(decodeEvent(throughJson(encodeEvent(event))).ids).toStrictEqual({ channelId: 'call-9' });
    expect(() => encodeEvent({ ...kazooChannelEvent('x'), occurredAt: new Date('nope') })).toThrow(
      /occurredAt: not a valid Date/,
    );
    expect(() =>
      encodeEvent({ ...kazooChannelEvent('x'), raw: {}, extra: Number.NaN } as unknown as NormalizedEvent),
    ).toThrow(/not representable/);
  });

  test('journaled events carry their cursor through the bus form', () => {
    const journaled = { ...kazooChannelEvent('call-10'), cursor: '42' };
    const wire = throughJson(encodeJournaled(journaled));
    expect((wire as any).cursor).toBe('42');
    expect(decodeJournaled(wire)).toStrictEqual(journaled);
    expect(() => decodeJournaled({ ...(wire as object), cursor: 42 })).toThrow(/no cursor/);
  });

  test('malformed payloads fail loudly', () => {
    expect(() => decodeEvent([])).toThrow(/not a JSON object/);
    expect(() =>
      decodeEvent({ ...(throughJson(encodeEvent(kazooChannelEvent('y'))) as object), occurredAt: 'soon' }),
    ).toThrow(/occurredAt is not an ISO date/);
  });
});
