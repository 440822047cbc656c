/** The journal's filter applied in memory to live events (same meaning as the SQL filter). */
import type { NormalizedEvent } from '../domain/events';
import type { JournalFilter } from './journal/journal';

export function matchesFilter(e: NormalizedEvent, f: JournalFilter): boolean {
  if (f.categories?.length && !f.categories.includes(e.category)) return false;
  if (f.backends?.length && !f.backends.includes(e.backend)) return false;
  if (f.types?.length && !f.types.includes(e.type)) return false;
  if (f.channelId !== undefined && e.ids.channelId !== f.channelId) return false;
  if (f.accountId !== undefined && e.ids.accountId !== f.accountId) return false;
  if (f.userId !== undefined && e.ids.userId !== f.userId) return false;
  if (f.deviceId !== undefined && e.ids.deviceId !== f.deviceId) return false;
  if (f.recipientId !== undefined && e.ids.recipientId !== f.recipientId) return false;
  if (f.queueId !== undefined && e.ids.queueId !== f.queueId) return false;
  return true;
}
