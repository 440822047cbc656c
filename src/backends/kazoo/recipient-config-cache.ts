/**
 * Recipient configs (the user document behind GET …/qubicle_recipients/{id}) kept between
 * requests. Crossbar has no batch read of user documents (docs/wire/kazoo.md §5.2), so without this a
 * listing with `config` costs one GET per agent every time, for settings that rarely change.
 *
 * Staleness is bounded by Blackhole, not by time:
 * - an entry is served and stored only for an account whose user-document events reach us now
 *   (the socket is subscribed and a binding covers doc_edited and doc_deleted of `user` there);
 * - every connect and disconnect of the socket empties the cache (events may have been missed);
 * - any object event of type `user` drops that id (in every account: ids are unique anyway), an
 *   event that names no id drops its whole account, and so does an `account` event;
 * - patchbay's own writes to a recipient drop it too;
 * - a read that overlapped any of the above is answered but not stored (generation check), so a
 *   GET answered before an edit can never land after the edit's event.
 *
 * "Not a recipient" (null) is never stored: a user becomes a recipient by an edit of its
 * document, and Qubicle's own view of who is a recipient is not public (§5), so a null could go
 * stale without an event we recognise. It costs one GET per ask, as before.
 */
import type { RecipientConfig } from '../../domain/recipient';
import type { BlackholeEventMessage, WireObjectEvent } from './wire';

const DEFAULT_MAX_ENTRIES = 10_000;
const DOC_ACTIONS_THAT_CHANGE_A_DOC = ['doc_edited', 'doc_deleted'];

/** Whether these Blackhole bindings deliver every edit and deletion of a user document. */
export function bindingsCoverUserDocs(bindings: readonly string[]): boolean {
  return DOC_ACTIONS_THAT_CHANGE_A_DOC.every((action) =>
    bindings.some((b) => {
      const [module, a, type, ...rest] = b.split('.');
      return (
        module === 'object' && rest.length === 0 && (a === '*' || a === action) && (type === '*' || type === 'user')
      );
    }),
  );
}

/** Which accounts' user-document events reach us: checked on every read, possibly made so first. */
export interface ConfigCoverage {
  covers(accountId: string): boolean;
  /** Makes the account covered if it can (e.g. subscribes for it); resolves to covers(). */
  ensure(accountId: string): Promise<boolean>;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** `account%2Fab%2Fcd%2Frest…` (optionally `-YYYYMM`) → the 32-hex account id. */
function accountFromDb(db: string | undefined): string | undefined {
  if (!db) return undefined;
  const m = /^account(?:%2F|\/)([0-9a-f]{2})(?:%2F|\/)([0-9a-f]{2})(?:%2F|\/)([0-9a-f]{28})/i.exec(db);
  return m ? `${m[1]}${m[2]}${m[3]}`.toLowerCase() : undefined;
}

export class RecipientConfigCache {
  private readonly entries = new Map<string, RecipientConfig>();
  private gen = 0;

  constructor(
    private readonly coverage: ConfigCoverage,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Taken before a read that may be stored with remember(). */
  generation(): number {
    return this.gen;
  }

  /** The cached config, or `fetch()` (stored when the account is covered and nothing changed meanwhile). */
  async read(
    accountId: string,
    userId: string,
    fetch: () => Promise<RecipientConfig | null>,
  ): Promise<RecipientConfig | null> {
    if (this.maxEntries <= 0 || !(await this.coverage.ensure(accountId)) || !this.coverage.covers(accountId))
      return fetch();
    const key = keyOf(accountId, userId);
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last: eviction takes the first key.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const generation = this.gen;
    const value = await fetch();
    this.remember(accountId, userId, value, generation);
    return value;
  }

  /** Stores a config read since `generation`, unless that read may have raced an invalidation. */
  remember(accountId: string, userId: string, value: RecipientConfig | null, generation: number): void {
    if (value === null || this.maxEntries <= 0 || generation !== this.gen || !this.coverage.covers(accountId)) return;
    const key = keyOf(accountId, userId);
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  invalidate(accountId: string, userId: string): void {
    this.gen++;
    this.entries.delete(keyOf(accountId, userId));
  }

  clear(): void {
    this.gen++;
    this.entries.clear();
  }

  /** Blackhole event frame: object events that may touch a user document invalidate. */
  onBlackholeEvent(msg: BlackholeEventMessage, defaultAccountId: string): void {
    const e = (msg.data ?? {}) as WireObjectEvent;
    const isObject = (msg.subscribed_key ?? '').startsWith('object.') || e.event_category === 'configuration';
    if (!isObject) return;
    const type = str(e.type);
    const id = str(e.id);
    const accountId = str(e.account_id) ?? accountFromDb(str(e.database)) ?? defaultAccountId;
    if (type === 'user' && id) return this.dropUser(id);
    if (type === 'user' || type === undefined) return this.dropAccount(accountId);
    if (type === 'account') {
      this.dropAccount(accountId);
      if (id) this.dropAccount(id);
    }
  }

  private dropUser(userId: string): void {
    this.gen++;
    const suffix = `/${userId}`;
    for (const key of [...this.entries.keys()]) if (key.endsWith(suffix)) this.entries.delete(key);
  }

  private dropAccount(accountId: string): void {
    this.gen++;
    const prefix = `${accountId}/`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

function keyOf(accountId: string, userId: string): string {
  return `${accountId}/${userId}`;
}
