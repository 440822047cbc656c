/**
 * Event buses: the in-process one, and Redis pub/sub across two instances against the
 * machine's Redis (127.0.0.1:6379). A stopped Redis fails the suite with the start command.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Journaled } from '../../../src/domain/events';
import { MemoryBus, RedisBus, openEventBus } from '../../../src/events/bus';
import { agentEvent, everyEventType, kazooChannelEvent, waitUntil } from './event-fixtures';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const START_REDIS =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

const journaled = (cursor: number): Journaled => ({
  ...kazooChannelEvent(`call-${cursor}`, cursor),
  cursor: String(cursor),
});

describe('MemoryBus', () => {
  test('delivers synchronously, in publish order, to every subscriber until it unsubscribes', async () => {
    const bus = new MemoryBus();
    const seen: Array<[string, string]> = [];
    const offA = bus.subscribe((e) => seen.push(['a', e.cursor]));
    bus.subscribe((e) => seen.push(['b', e.cursor]));
    await bus.publish(journaled(1));
    offA();
    await bus.publish(journaled(2));
    expect(seen).toEqual([
      ['a', '1'],
      ['b', '1'],
      ['b', '2'],
    ]);
    await bus.close();
    await expect(bus.publish(journaled(3))).rejects.toThrow(/closed/);
  });

  test('a throwing listener does not keep the event from the others', async () => {
    const bus = new MemoryBus();
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((e) => seen.push(e.cursor));
    await bus.publish(journaled(1));
    expect(seen).toEqual(['1']);
    await bus.close();
  });
});

describe('RedisBus', () => {
  // Our own channel and connection name: other runs on this Redis neither see nor disturb us.
  const tag = randomBytes(4).toString('hex');
  const channel = `patchbay:test:${tag}`;
  const connectionName = `patchbay-bus-test-${tag}`;
  let admin: Redis;
  const buses: RedisBus[] = [];
  const open = async (name = connectionName) => {
    const bus = new RedisBus(REDIS_URL, { channel, redis: { connectionName: name } });
    buses.push(bus);
    await bus.ready(5000);
    return bus;
  };
  const ourClients = async (type?: 'pubsub' | 'normal', name = connectionName) => {
    const list = (await admin.call('CLIENT', 'LIST', ...(type ? ['TYPE', type] : []))) as string;
    return list
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /(?:^| )id=(\d+)/.exec(line)![1]);
  };

  beforeAll(async () => {
    admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    admin.on('error', () => undefined);
    try {
      await admin.connect();
      await admin.ping();
    } catch (err) {
      admin.disconnect();
      throw new Error(
        `Redis is not reachable at ${REDIS_URL}: ${(err as Error).message}. Start it with:\n  ${START_REDIS}`,
        { cause: err },
      );
    }
  });
  afterAll(async () => {
    for (const bus of buses) await bus.close();
    await admin?.quit();
  });

  test('two instances see each other’s events and their own, decoded exactly', async () => {
    const [a, b] = [await open(), await open()];
    expect(a.channel).toBe(channel);
    const seenA: Journaled[] = [];
    const seenB: Journaled[] = [];
    a.subscribe((e) => seenA.push(e));
    b.subscribe((e) => seenB.push(e));

    const events = everyEventType().map((e, i) => ({ ...e, cursor: String(100 + i) }));
    for (const [i, event] of events.entries()) await (i % 2 === 0 ? a : b).publish(event);
    await waitUntil(
      () => seenA.length === events.length && seenB.length === events.length,
      'both buses to receive all',
    );
    // One connection per publisher: each instance's own events stay in order; sort for the rest.
    const byCursor = (x: Journaled, y: Journaled) => Number(x.cursor) - Number(y.cursor);
    expect([...seenA].sort(byCursor)).toStrictEqual(events);
    expect([...seenB].sort(byCursor)).toStrictEqual(events);
  });

  test('a dropped subscriber connection reconnects, signals onGap, and receives again', async () => {
    const gapName = `${connectionName}-gap`;
    const [a, b] = [await open(gapName), await open()];
    const seen: string[] = [];
    let gaps = 0;
    a.subscribe((e) => seen.push(e.cursor));
    a.onGap(() => {
      gaps += 1;
    });
    await b.publish(journaled(1));
    await waitUntil(() => seen.includes('1'), 'the first event');

    // Drop a's subscriber connection (as a Redis restart or network blip would).
    const subscribers = await ourClients('pubsub', gapName);
    expect(subscribers).toHaveLength(1);
    await admin.call('CLIENT', 'KILL', 'ID', subscribers[0]);
    await waitUntil(() => gaps === 1, 'onGap after the resubscription');
    await b.publish(journaled(2));
    await waitUntil(() => seen.includes('2'), 'an event after the reconnect');
    expect(seen).toEqual(['1', '2']);
  });

  test('close() quits both connections, is idempotent, and refuses later publishes', async () => {
    // Its own connection name: other buses' reconnects must not count.
    const name = `${connectionName}-close`;
    const bus = await open(name);
    await waitUntil(
      async () => (await ourClients(undefined, name)).length === 2,
      'its publisher and subscriber connections',
    );
    await Promise.all([bus.close(), bus.close()]);
    await waitUntil(async () => (await ourClients(undefined, name)).length === 0, 'both connections to close');
    await expect(bus.publish(journaled(9))).rejects.toThrow(/closed/);
    expect(bus.subscribe(() => undefined)).toBeInstanceOf(Function);
  });

  test('ready() fails with a clear message when Redis cannot be reached', async () => {
    const bus = new RedisBus('redis://127.0.0.1:1', {
      channel,
      redis: { retryStrategy: () => 50, maxRetriesPerRequest: 0 },
    });
    buses.push(bus);
    await expect(bus.ready(200)).rejects.toThrow(/not subscribed after 200 ms: is Redis running/);
    await bus.close();
  });

  test('openEventBus: Redis with a url (subscribed on return), memory without; a dead Redis is refused', async () => {
    expect(await openEventBus(undefined)).toBeInstanceOf(MemoryBus);
    const bus = await openEventBus(REDIS_URL, { channel, redis: { connectionName } });
    buses.push(bus as RedisBus);
    expect(bus).toBeInstanceOf(RedisBus);
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(e.cursor));
    await bus.publish(journaled(11));
    await waitUntil(() => seen.length === 1, 'its own event');
    await expect(
      openEventBus('redis://127.0.0.1:1', { readyTimeoutMs: 100, redis: { retryStrategy: () => 50 } }),
    ).rejects.toThrow(/not subscribed after 100 ms/);
  });

  test('an undecodable message is dropped, later ones still arrive', async () => {
    const bus = await open();
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(e.cursor));
    await admin.publish(channel, 'not json');
    await admin.publish(channel, JSON.stringify({ cursor: 5 }));
    await bus.publish({ ...agentEvent('agent1'), cursor: '6' });
    await waitUntil(() => seen.length === 1, 'the valid event');
    expect(seen).toEqual(['6']);
  });
});
