/**
 * The response cache over real sockets: repeated live-view reads are answered from memory, every
 * change of the live view is visible to the very next read, callers with different reach never
 * share answers, backend-read fields always execute, and gzip is served to clients that ask.
 */
import { Agent, request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startHarness, waitFor, type Harness } from '../../helpers/gateway-harness';
import { CHANNEL_FIELDS, originate } from '../../helpers/channels';

const LIST = '{ channels { id state caller { number } backend { name } } }';
/** Big enough to be worth compressing (over 1 KB). */
const WIDE = `{ channels { ${CHANNEL_FIELDS} } }`;

async function cacheCounts(h: Harness): Promise<Record<string, number>> {
  const text = await (await fetch(h.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
  const counts: Record<string, number> = { hit: 0, miss: 0, stored: 0 };
  for (const m of text.matchAll(/^patchbay_response_cache_total\{result="(\w+)"\} (\d+)/gm))
    counts[m[1]] = Number(m[2]);
  return counts;
}

/** POST over node:http, so the raw Content-Encoding and bytes are seen. */
function rawPost(
  h: Harness,
  query: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      h.gateway.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${h.adminKey}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

const ids = (r: { data?: any }) => (r.data!.channels as Array<{ id: string }>).map((c) => c.id).sort();

describe('response cache', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simulators: 2 });
    await waitFor(() => h.gateway.events.liveChannels('pbx1') && h.gateway.events.liveChannels('pbx2'), 'live views');
  });
  afterAll(() => h?.close());

  it('answers a repeated live-view read from memory with the same bytes', async () => {
    const made = await originate(h, { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay' });
    await waitFor(
      () => h.gateway.events.liveChannels('pbx1')?.get(made.id.split(':')[1])?.state === 'UP',
      'the channel Up',
    );
    const before = await cacheCounts(h);
    const first = await rawPost(h, LIST, {});
    const second = await rawPost(h, LIST, {});
    const after = await cacheCounts(h);
    expect(second.status).toBe(200);
    expect(second.body.equals(first.body)).toBe(true);
    expect(after.hit - before.hit).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(second.body.toString()).errors).toBeUndefined();
  });

  it('shows every change of the live view on the very next read', async () => {
    await h.gql(LIST); // kept
    const made = await originate(h, { backend: 'pbx1', endpoint: 'PJSIP/bob', app: 'patchbay' });
    const native = made.id.split(':')[1];
    await waitFor(
      () => h.gateway.events.liveChannels('pbx1')?.get(native)?.state === 'UP',
      'the new channel Up in the live view',
    );
    const next = await h.gql(LIST);
    const mine = (next.data!.channels as Array<{ id: string; state: string }>).find((c) => c.id === made.id);
    expect(mine?.state).toBe('UP');

    await h.gql(LIST); // kept again
    const hangup = await h.gql('mutation($id: ID!) { hangupChannel(input: { id: $id }) { hungUpChannelId } }', {
      id: made.id,
    });
    expect(hangup.errors).toBeUndefined();
    await waitFor(() => !h.gateway.events.liveChannels('pbx1')?.has(native), 'the channel gone from the live view');
    expect(ids(await h.gql(LIST))).not.toContain(made.id);
  });

  it('never shares answers between callers of different reach', async () => {
    const made = await originate(h, { backend: 'pbx2', endpoint: 'PJSIP/carol', app: 'patchbay' });
    // Settled (answered) first: the four reads below must see one unchanging live view.
    await waitFor(
      () => h.gateway.events.liveChannels('pbx2')?.get(made.id.split(':')[1])?.state === 'UP',
      'the pbx2 channel Up',
    );
    const onlyPbx1 = await h.keyFor('VIEWER', { backends: ['pbx1'] });
    const all = await h.gql(LIST);
    const scoped = await h.gql(LIST, undefined, { authorization: `Bearer ${onlyPbx1}` });
    const scopedAgain = await h.gql(LIST, undefined, { authorization: `Bearer ${onlyPbx1}` });
    const allAgain = await h.gql(LIST);
    const backendsOf = (r: { data?: any }) =>
      [...new Set((r.data!.channels as Array<{ backend: { name: string } }>).map((c) => c.backend.name))].sort();
    expect(backendsOf(all)).toEqual(['pbx1', 'pbx2']);
    expect(backendsOf(scoped)).toEqual(['pbx1']);
    expect(scopedAgain).toEqual(scoped);
    expect(allAgain).toEqual(all);
  });

  it('fields read from the backend execute every time (rtpStats asks the ARI on each read)', async () => {
    const q = '{ channels(filter: { backend: "pbx1" }) { id rtpStats { rxCount } } }';
    await h.gql(q);
    const pbx1Channels = h.gateway.events.liveChannels('pbx1')!.size;
    h.sims[0].resetRequestLog();
    const before = await cacheCounts(h);
    await h.gql(q);
    await h.gql(q);
    const rtpGets = h.sims[0].requests.filter((r) => r.path.endsWith('/rtp_statistics')).length;
    expect((await cacheCounts(h)).hit).toBe(before.hit);
    expect(rtpGets).toBe(2 * pbx1Channels);
  });

  it('Cache-Control: no-cache executes the request', async () => {
    await h.gql(LIST);
    const before = await cacheCounts(h);
    await h.gql(LIST, undefined, { 'cache-control': 'no-cache' });
    const after = await cacheCounts(h);
    expect(after.hit).toBe(before.hit);
    expect(after.miss).toBe(before.miss + 1);
  });

  it('gzips for clients that accept it; the decoded bytes are the plain answer', async () => {
    // A hit is gzipped (an executed answer goes out plain): ask until two reads meet the same kept answer.
    const pair = await waitFor(async () => {
      const plain = await rawPost(h, WIDE, {});
      const zipped = await rawPost(h, WIDE, { 'accept-encoding': 'gzip, deflate, br' });
      return zipped.headers['content-encoding'] === 'gzip' ? { plain, zipped } : null;
    }, 'a gzipped hit');
    const { plain, zipped } = pair;
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
  });

  it('a backend whose event stream is down is not answered from memory', async () => {
    await h.gql(LIST);
    await h.gql(LIST);
    await h.sims[1].close();
    await waitFor(() => h.gateway.events.liveChannels('pbx2') === null, 'pbx2 live view untrusted');
    const r = await h.gql(LIST);
    expect(r.errors?.map((e) => [e.extensions?.code, e.message.includes('pbx2')])).toEqual([
      ['BACKEND_UNAVAILABLE', true],
    ]);
    expect(ids(r).every((id) => id.startsWith('pbx1:'))).toBe(true);
  });
});

/** Sequential POSTs on one keep-alive connection (a polling dashboard), raw head and body of each. */
async function onOneConnection(
  h: Harness,
  key: string,
  count: number,
  headers: (i: number) => Record<string, string>,
  body: string,
): Promise<Array<{ status: number; headers: Record<string, unknown>; body: Buffer }>> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<unknown>();
  const out = [];
  try {
    for (let i = 0; i < count; i++) {
      out.push(
        await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
          const req = request(
            h.gateway.url,
            {
              method: 'POST',
              agent,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers(i) },
            },
            (res) => {
              sockets.add(res.socket);
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
              );
            },
          );
          req.on('error', reject);
          req.end(body);
        }),
      );
    }
  } finally {
    agent.destroy();
  }
  expect(sockets.size).toBe(1);
  return out;
}

describe('response cache: a polling connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simulators: 1, security: { rateLimit: { burst: 6, perSecond: 1 } } });
    await waitFor(() => h.gateway.events.liveChannels('pbx1'), 'live view');
    const made = await originate(h, { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay' });
    await waitFor(
      () => h.gateway.events.liveChannels('pbx1')?.get(made.id.split(':')[1])?.state === 'UP',
      'the channel Up',
    );
  });
  afterAll(() => h?.close());

  it("answers repeats of the same body with the executed answer's head and bytes, its own request id, and the key's rate limit", async () => {
    const body = JSON.stringify({ query: LIST, operationName: null });
    const before = await cacheCounts(h);
    // A key of its own: its bucket is full (burst 6, one more per second).
    const answers = await onOneConnection(
      h,
      await h.keyFor('VIEWER', { all: true }),
      8,
      (i) => ({ 'x-request-id': `poll-${i}` }),
      body,
    );
    const after = await cacheCounts(h);
    const [first, ...rest] = answers;
    expect(first.status).toBe(200);
    // burst 6: the first 6 are answered (1 executed, then hits), the 7th and 8th refused.
    const served = answers.slice(0, 6);
    for (const [i, a] of served.entries()) {
      expect(a.status).toBe(200);
      expect(a.headers['x-request-id']).toBe(`poll-${i}`);
      expect(a.headers['content-type']).toBe(first.headers['content-type']);
      expect(Number(a.headers['content-length'])).toBe(a.body.length);
      expect(a.body.equals(first.body)).toBe(true);
    }
    expect(after.hit - before.hit).toBeGreaterThanOrEqual(4);
    for (const [i, a] of rest.slice(5).entries()) {
      expect(a.status).toBe(429);
      expect(a.headers['x-request-id']).toBe(`poll-${i + 6}`);
      expect(a.headers['retry-after']).toBe('1');
      expect(JSON.parse(a.body.toString()).errors[0].extensions.code).toBe('RATE_LIMITED');
    }
  });

  it('a body that is not the same bytes, or no longer valid, takes the full path with its own answer', async () => {
    const key = await h.keyFor('VIEWER', { all: true });
    const [executed, hit] = await onOneConnection(h, key, 2, () => ({}), JSON.stringify({ query: LIST }));
    expect(hit.body.equals(executed.body)).toBe(true);
    // Same document, other bytes (whitespace): parsed, and answered from the same entry.
    const [spaced] = await onOneConnection(h, key, 1, () => ({}), JSON.stringify({ query: LIST }, null, 1));
    expect(spaced.status).toBe(200);
    expect(spaced.body.equals(executed.body)).toBe(true);
    // A body that is the known one plus a byte is not JSON: 400, as on a first request.
    const [broken] = await onOneConnection(h, key, 1, () => ({}), `${JSON.stringify({ query: LIST })}}`);
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body.toString()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});
