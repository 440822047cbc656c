import {
  RecipientConfigCache,
  bindingsCoverUserDocs,
  type ConfigCoverage,
} from '../../../src/backends/kazoo/recipient-config-cache';
import type { BlackholeEventMessage } from '../../../src/backends/kazoo/wire';
import type { RecipientConfig } from '../../../src/domain/recipient';

const A = '4b31dd1d32ce6d249897c06332375d65';
const B = '0c1f2e3d4c5b6a798897a6b5c4d3e2f1';
const id = (n: number) => n.toString(16).padStart(32, '0');
const config = (firstName: string): RecipientConfig => ({
  firstName,
  lastName: null,
  username: null,
  email: null,
  presenceId: null,
  enabled: true,
  offering: null,
  hasPin: false,
  raw: { enabled: true },
});
const db = (account: string) => `account%2F${account.slice(0, 2)}%2F${account.slice(2, 4)}%2F${account.slice(4)}`;
const objectFrame = (data: Record<string, unknown>): BlackholeEventMessage => ({
  action: 'event',
  subscribed_key: 'object.*.*',
  name: String(data.event_name ?? 'doc_edited'),
  routing_key: 'doc_edited.x.user.y',
  data: { event_category: 'configuration', event_name: 'doc_edited', ...data },
});

function setup(max?: number, covered: string[] = [A, B]) {
  const cov = new Set(covered);
  const coverage: ConfigCoverage = { covers: (a) => cov.has(a), ensure: async (a) => cov.has(a) };
  const cache = new RecipientConfigCache(coverage, max);
  let fetches = 0;
  const read = (account: string, user: string, value: RecipientConfig | null = config(`v${fetches + 1}`)) =>
    cache.read(account, user, async () => {
      fetches++;
      return value;
    });
  return { cache, cov, read, fetches: () => fetches };
}

describe('bindingsCoverUserDocs', () => {
  it('needs both doc_edited and doc_deleted of user, by wildcard or by name', () => {
    expect(bindingsCoverUserDocs(['call.*.*', 'object.*.*'])).toBe(true);
    expect(bindingsCoverUserDocs(['object.*.user'])).toBe(true);
    expect(bindingsCoverUserDocs(['object.doc_edited.user', 'object.doc_deleted.*'])).toBe(true);
    expect(bindingsCoverUserDocs(['object.doc_edited.user'])).toBe(false);
    expect(bindingsCoverUserDocs(['object.*.device', 'call.*.*', 'qubicle.recipient'])).toBe(false);
    expect(bindingsCoverUserDocs([])).toBe(false);
  });
});

describe('RecipientConfigCache', () => {
  it('keeps configs of covered accounts only, and never null', async () => {
    const { cache, read, fetches } = setup(10, [A]);
    await read(A, id(1));
    await read(A, id(1));
    await read(B, id(1));
    await read(B, id(1));
    await read(A, id(2), null);
    await read(A, id(2), null);
    expect([fetches(), cache.size]).toEqual([5, 1]);
  });

  it('is bounded: the least recently used entry goes first', async () => {
    const { cache, read, fetches } = setup(2);
    await read(A, id(1));
    await read(A, id(2));
    await read(A, id(1)); // hit: id(1) becomes the most recent
    await read(A, id(3)); // evicts id(2)
    expect(cache.size).toBe(2);
    await read(A, id(1));
    expect(fetches()).toBe(3);
    await read(A, id(2));
    expect(fetches()).toBe(4);
  });

  it('size 0 keeps nothing', async () => {
    const { cache, read, fetches } = setup(0);
    await read(A, id(1));
    await read(A, id(1));
    expect([fetches(), cache.size]).toEqual([2, 0]);
  });

  it('a read overlapping an invalidation is answered but not stored', async () => {
    const { cache } = setup();
    let answer: ((c: RecipientConfig) => void) | undefined;
    const pending = cache.read(A, id(1), () => new Promise<RecipientConfig>((r) => (answer = r)));
    while (!answer) await Promise.resolve();
    cache.onBlackholeEvent(objectFrame({ type: 'user', id: id(9), account_id: A }), A);
    answer!(config('old'));
    expect((await pending)?.firstName).toBe('old');
    expect(cache.size).toBe(0);
  });

  it('a read that lost its coverage meanwhile is not stored', async () => {
    const { cache, cov } = setup();
    let answer: ((c: RecipientConfig) => void) | undefined;
    const pending = cache.read(A, id(1), () => new Promise<RecipientConfig>((r) => (answer = r)));
    while (!answer) await Promise.resolve();
    cov.delete(A);
    answer!(config('x'));
    await pending;
    expect(cache.size).toBe(0);
  });

  it('object events: user by id (any account), user without id or untyped (its account), account (all of it); other types leave it', async () => {
    const { cache, read } = setup();
    const fill = async () => {
      cache.clear();
      for (const a of [A, B]) for (const n of [1, 2]) await read(a, id(n));
    };
    const keysAfter = async (data: Record<string, unknown>) => {
      await fill();
      cache.onBlackholeEvent(objectFrame(data), A);
      return cache.size;
    };
    expect(await keysAfter({ type: 'device', id: id(1), account_id: A })).toBe(4);
    expect(await keysAfter({ type: 'user', id: id(1), account_id: A })).toBe(2);
    expect(await keysAfter({ type: 'user', id: id(3), account_id: A })).toBe(4);
    expect(await keysAfter({ type: 'user', account_id: B })).toBe(2);
    expect(await keysAfter({ type: 'user', database: db(B) })).toBe(2);
    expect(await keysAfter({ id: id(5), account_id: B })).toBe(2);
    expect(await keysAfter({ type: 'user' })).toBe(2); // no account: the configured one
    expect(await keysAfter({ type: 'account', id: B, account_id: B })).toBe(2);
    // Not an object event at all.
    await fill();
    cache.onBlackholeEvent(
      {
        action: 'event',
        subscribed_key: 'call.*.*',
        name: 'CHANNEL_CREATE',
        routing_key: 'call.x',
        data: { event_category: 'call_event', id: id(1) },
      },
      A,
    );
    expect(cache.size).toBe(4);
  });
});
