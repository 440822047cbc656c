/** The console's pure logic: cursor order for resuming, and the calls chart rebuilt from the journal. */
import type { Gql } from '../../../console/src/client';
import { isAfter, journalHead } from '../../../console/src/resume';
import { countsBefore } from '../../../console/src/views/calls-history';
import { mosOf } from '../../../console/src/views/calls';

describe('isAfter (journal cursors are decimal integers)', () => {
  it('compares numerically, not as text', () => {
    expect(isAfter('10', '9')).toBe(true);
    expect(isAfter('9', '10')).toBe(false);
    expect(isAfter('10', '10')).toBe(false);
    expect(isAfter('123', null)).toBe(true);
  });
});

describe('countsBefore', () => {
  const ev = (type: string, at: number, backend = 'pbx') => ({
    __typename: type,
    receivedAt: new Date(at).toISOString(),
    backend: { name: backend },
  });

  it('walks back from the counts of now through starts and ends', () => {
    const events = [
      ev('ChannelCreated', 1000),
      ev('ChannelCreated', 2000, 'kz'),
      ev('ChannelDestroyed', 3000),
      ev('ChannelCreated', 4000),
    ];
    const samples = countsBefore(
      events,
      new Map([
        ['pbx', 1],
        ['kz', 1],
      ]),
      500,
    );
    expect(samples.map((s) => [s.at, Object.fromEntries(s.counts)])).toEqual([
      [500, { pbx: 0, kz: 0 }],
      [1000, { pbx: 1, kz: 0 }],
      [2000, { pbx: 1, kz: 1 }],
      [3000, { pbx: 0, kz: 1 }],
      [4000, { pbx: 1, kz: 1 }],
    ]);
  });

  it('stops at the window start and never goes below zero', () => {
    const events = [ev('ChannelCreated', 100), ev('ChannelCreated', 2000)];
    const samples = countsBefore(events, new Map([['pbx', 0]]), 1000);
    expect(samples.map((s) => [s.at, s.counts.get('pbx')])).toEqual([
      [1000, 0],
      [2000, 0],
    ]);
  });
});

describe('mosOf (Channel.quality, when the gateway has it)', () => {
  it('reads the field named like "mos", whatever its case', () => {
    expect(mosOf({ jitterMs: 3, mos: 4.2 })).toBe(4.2);
    expect(mosOf({ mosEstimate: 3.1 })).toBe(3.1);
    expect(mosOf({ jitterMs: 3 })).toBeNull();
    expect(mosOf({ mos: null })).toBeNull();
    expect(mosOf(null)).toBeNull();
  });
});

describe('journalHead', () => {
  const pages = (ends: Array<string | null>) => {
    const asked: Array<string | null> = [];
    const gql = {
      query: async (_doc: string, vars: { after: string | null }) => {
        asked.push(vars.after);
        const i = asked.length - 1;
        return { data: { events: { edges: [], pageInfo: { endCursor: ends[i], hasNextPage: i < ends.length - 1 } } } };
      },
    };
    return { gql: gql as unknown as Gql, asked };
  };

  it('follows pages to the newest cursor', async () => {
    const { gql, asked } = pages(['500', '1000', '1200']);
    expect(await journalHead(gql, ['CHANNEL'])).toBe('1200');
    expect(asked).toEqual([null, '500', '1000']);
  });

  it('is null for an empty journal, one too long to walk, or a refused read', async () => {
    expect(await journalHead(pages([null]).gql, ['AGENT'])).toBeNull();
    expect(
      await journalHead(pages(Array.from({ length: 25 }, (_, i) => String(i * 500 + 500))).gql, ['AGENT']),
    ).toBeNull();
    expect(await journalHead({ query: async () => ({ error: {} }) } as unknown as Gql, ['AGENT'])).toBeNull();
  });
});
