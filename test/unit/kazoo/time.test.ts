import {
  dateToGregorian,
  gregorianToDate,
  kazooSecondsToDate,
  UNIX_EPOCH_IN_GREGORIAN,
} from '../../../src/backends/kazoo/time';

describe('Gregorian seconds', () => {
  it('uses the 62167219200 offset', () => {
    expect(UNIX_EPOCH_IN_GREGORIAN).toBe(62167219200);
    expect(gregorianToDate(62167219200).toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });
  it('matches the wire document examples', () => {
    expect(gregorianToDate(63573977746).toISOString()).toBe('2014-07-30T22:15:46.000Z');
    expect(gregorianToDate(63610891956).toISOString()).toBe('2015-10-01T04:12:36.000Z');
  });
  it('round-trips', () => {
    expect(dateToGregorian(new Date('2026-11-02T10:00:00.900Z'))).toBe(Date.UTC(2026, 10, 2, 10) / 1000 + 62167219200);
  });
});

describe('kazooSecondsToDate', () => {
  it('tells Gregorian from unix seconds by magnitude', () => {
    expect(kazooSecondsToDate(63573977746)?.toISOString()).toBe('2014-07-30T22:15:46.000Z');
    expect(kazooSecondsToDate(1406758546)?.toISOString()).toBe('2014-07-30T22:15:46.000Z');
  });
  it('0, negative and non-numbers are null', () => {
    expect(kazooSecondsToDate(0)).toBeNull();
    expect(kazooSecondsToDate(-1)).toBeNull();
    expect(kazooSecondsToDate('63573977746')).toBeNull();
    expect(kazooSecondsToDate(undefined)).toBeNull();
  });
});
