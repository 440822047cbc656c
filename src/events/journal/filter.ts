/** Which journal rows a reader wants, and its translation to parameterised SQL. */
import type { EventCategory } from '../../domain/events';

/** All fields optional and AND-ed; arrays mean any-of (an empty array matches nothing). */
export interface JournalFilter {
  categories?: readonly EventCategory[];
  backends?: readonly string[];
  types?: readonly string[];
  channelId?: string;
  accountId?: string;
  userId?: string;
  deviceId?: string;
  recipientId?: string;
  queueId?: string;
}

const LIST_COLUMNS = [
  ['categories', 'category'],
  ['backends', 'backend'],
  ['types', 'type'],
] as const;

const ID_COLUMNS = [
  ['channelId', 'channel_id'],
  ['accountId', 'account_id'],
  ['userId', 'user_id'],
  ['deviceId', 'device_id'],
  ['recipientId', 'recipient_id'],
  ['queueId', 'queue_id'],
] as const;

/**
 * Appends the filter's conditions to `conditions`, pushing their values onto `params` (so
 * placeholders continue from params.length). Column names come from the tables above only.
 */
export function filterConditions(filter: JournalFilter | undefined, conditions: string[], params: unknown[]): void {
  if (!filter) return;
  for (const [field, column] of LIST_COLUMNS) {
    const values = filter[field];
    if (values === undefined) continue;
    params.push([...values]);
    conditions.push(`"${column}" = ANY($${params.length}::text[])`);
  }
  for (const [field, column] of ID_COLUMNS) {
    const value = filter[field];
    if (value === undefined) continue;
    params.push(value);
    conditions.push(`"${column}" = $${params.length}`);
  }
}
