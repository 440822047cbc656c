export { EventJournal, JOURNAL_APPEND_LOCK_KEY, type EventJournalOptions, type ReadOptions } from './journal';
export type { JournalFilter } from './filter';
export type { RetentionOptions } from './retention';
export { parseCursor, compareCursors } from './cursor';
export { encodeEvent, decodeEvent, encodeJournaled, decodeJournaled, type EncodedEvent, type JsonValue } from './codec';
