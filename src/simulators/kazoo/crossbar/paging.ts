/**
 * View-style pagination (docs/wire/kazoo.md §1.7): `page_size` is the count returned, keys are
 * opaque base64url, `next_start_key` only when more rows exist, `paginate=false` turns it off.
 */
import { base64url, fromBase64url } from '../wire';
import { type Paging, errors } from './envelope';

export const DEFAULT_PAGE_SIZE = 50;

function encodeKey(key: string): string {
  return base64url(Buffer.from(`k:${key}`, 'utf8'));
}

function decodeKey(raw: string): string {
  const decoded = fromBase64url(raw).toString('utf8');
  return decoded.startsWith('k:') ? decoded.slice(2) : raw;
}

export function paginate<T>(
  all: T[],
  keyOf: (t: T) => string,
  query: URLSearchParams,
): { items: T[]; paging?: Paging } {
  const sorted = [...all].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  if (query.get('paginate') === 'false') return { items: sorted };
  let pageSize = DEFAULT_PAGE_SIZE;
  const rawSize = query.get('page_size');
  if (rawSize !== null) {
    if (!/^-?\d+$/.test(rawSize)) throw errors.faultyRequest('invalid page size');
    pageSize = Number.parseInt(rawSize, 10);
    if (pageSize < 1) throw errors.faultyRequest('page size must be at least 1');
  }
  const rawStart = query.get('start_key');
  const startKey = rawStart !== null ? decodeKey(rawStart) : undefined;
  const from = startKey === undefined ? 0 : sorted.findIndex((t) => keyOf(t) >= startKey);
  const begin = from < 0 ? sorted.length : from;
  const items = sorted.slice(begin, begin + pageSize);
  const next = sorted[begin + pageSize];
  const paging: Paging = { page_size: items.length };
  if (rawStart !== null) paging.start_key = rawStart;
  if (next) paging.next_start_key = encodeKey(keyOf(next));
  return { items, paging };
}
