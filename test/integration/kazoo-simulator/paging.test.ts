/**
 * View-style paging of the simulator's listings (docs/wire/kazoo.md §1.7), over real sockets, on a
 * qubicle_recipients listing with more rows than one default page: page_size is the count
 * returned, next_start_key only while more rows exist, paginate=false answers whole without
 * paging keys, a bad page_size is 404 faulty_request.
 */
import {
  addRecipientAccount,
  defaultSeed,
  startKazooSimulator,
  type KazooSimulator,
} from '../../../src/simulators/kazoo';
import { apiToken, call } from './helpers';

const TOTAL = 120;

describe('KAZOO simulator: listing pagination', () => {
  let sim: KazooSimulator;
  let token: string;
  let accountId: string;
  const list = (qs = '') => call(sim, 'GET', `/accounts/${accountId}/qubicle_recipients${qs}`, { token });

  beforeAll(async () => {
    const seed = defaultSeed();
    accountId = addRecipientAccount(seed, { name: 'Paging Co', count: TOTAL }).accountId;
    sim = await startKazooSimulator({ seed });
    token = await apiToken(
      sim,
      sim.world.accounts.find((a) => a.id === accountId)!,
    );
  });
  afterAll(async () => {
    await sim.close();
  });

  it('pages by 50 by default: page_size is the rows returned, start_key echoed, next_start_key until the last page', async () => {
    const p1 = await list();
    expect(p1.status).toBe(200);
    expect(p1.body.data).toHaveLength(50);
    expect(p1.body.page_size).toBe(50);
    expect('start_key' in p1.body).toBe(false);
    expect(p1.body.next_start_key).toMatch(/^[A-Za-z0-9_-]+$/);

    const p2 = await list(`?start_key=${p1.body.next_start_key}`);
    expect(p2.body.page_size).toBe(50);
    expect(p2.body.start_key).toBe(p1.body.next_start_key);
    expect(typeof p2.body.next_start_key).toBe('string');

    const p3 = await list(`?start_key=${p2.body.next_start_key}`);
    expect(p3.body.page_size).toBe(TOTAL - 100);
    expect(p3.body.data).toHaveLength(TOTAL - 100);
    expect(p3.body.start_key).toBe(p2.body.next_start_key);
    expect('next_start_key' in p3.body).toBe(false);

    const ids = [...p1.body.data, ...p2.body.data, ...p3.body.data].map((x: { id: string }) => x.id);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(ids).toEqual([...ids].sort());
  });

  it('page_size is honoured; a page that reaches the end has no next_start_key', async () => {
    const small = await list('?page_size=7');
    expect([small.body.page_size, small.body.data.length, typeof small.body.next_start_key]).toEqual([7, 7, 'string']);
    const exact = await list(`?page_size=${TOTAL}`);
    expect([exact.body.page_size, exact.body.data.length, 'next_start_key' in exact.body]).toEqual([
      TOTAL,
      TOTAL,
      false,
    ]);
    const larger = await list('?page_size=1000');
    expect([larger.body.page_size, larger.body.data.length, 'next_start_key' in larger.body]).toEqual([
      TOTAL,
      TOTAL,
      false,
    ]);
  });

  it('paginate=false: every row in one answer, no page_size / start_key / next_start_key in the envelope', async () => {
    const r = await list('?paginate=false');
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(TOTAL);
    expect(r.body.status).toBe('success');
    for (const key of ['page_size', 'start_key', 'next_start_key']) expect(key in r.body).toBe(false);
    const paged = [...(await list(`?page_size=${TOTAL}`)).body.data];
    expect(r.body.data).toEqual(paged);
    // §1.7 is silent here; the simulator's choice (README): no paging means page_size is not read.
    const ignored = await list('?paginate=false&page_size=0');
    expect([ignored.status, ignored.body.data.length, 'page_size' in ignored.body]).toEqual([200, TOTAL, false]);
  });

  it.each([
    ['0', 'page size must be at least 1'],
    ['-3', 'page size must be at least 1'],
    ['abc', 'invalid page size'],
    ['2.5', 'invalid page size'],
    ['', 'invalid page size'],
  ])('page_size=%p → 404 faulty_request (%s)', async (size, message) => {
    const r = await list(`?page_size=${size}`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 'error', error: '404', message: 'faulty_request', data: { message } });
  });
});
