/** channels/channel/backends across two ARI simulators; loader batching; partial failure. */
import { startHarness, waitFor, type Harness } from '../../helpers/gateway-harness';
import { originate, stasisChannel } from '../../helpers/channels';

describe('queries across two ARI backends (read from the backends: live view off)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simulators: 2, liveView: false });
  });
  afterAll(() => h?.close());

  it('backends lists both with health and no credentials', async () => {
    const r = await h.gql('{ backends { name kind url health { connected reconnects lastError } } }');
    expect(r.data!.backends).toEqual([
      { name: 'pbx1', kind: 'ARI', url: h.sims[0].url, health: { connected: true, reconnects: 0, lastError: null } },
      { name: 'pbx2', kind: 'ARI', url: h.sims[1].url, health: { connected: true, reconnects: 0, lastError: null } },
    ]);
    expect(JSON.stringify(r)).not.toContain('asterisk:asterisk');
  });

  it('channels spans both backends, with filters', async () => {
    const a = await stasisChannel(h, 'pbx1');
    const b = await stasisChannel(h, 'pbx2');
    const all = await h.gql('{ channels { id backend { name } state } }');
    const ids = all.data!.channels.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining([a, b]));
    const onlyTwo = await h.gql('{ channels(filter: { backend: "pbx2" }) { id backend { name } } }');
    expect(onlyTwo.data!.channels.every((c: { backend: { name: string } }) => c.backend.name === 'pbx2')).toBe(true);
    const up = await h.gql('{ channels(filter: { states: [UP] }) { state } }');
    expect(up.data!.channels.every((c: { state: string }) => c.state === 'UP')).toBe(true);
    const bad = await h.gql('{ channels(filter: { backend: "nope" }) { id } }');
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('channel(id) for both backends; unknown native id and unknown backend are null', async () => {
    const a = await stasisChannel(h, 'pbx2');
    const r = await h.gql(
      'query($id: ID!) { channel(id: $id) { id nativeId backend { name } } missing: channel(id: "pbx1:1.424242") { id } }',
      { id: a },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      channel: { id: a, nativeId: a.slice('pbx2:'.length), backend: { name: 'pbx2' } },
      missing: null,
    });
    // An id naming no configured backend is a missing id, as for a scoped key (docs: README scope).
    const unknown = await h.gql('{ channel(id: "nope:1.1") { id } }');
    expect(unknown).toMatchObject({ data: { channel: null } });
    expect(unknown.errors).toBeUndefined();
  });

  it('rtpStats: a full RTPstat on PJSIP, null on Local', async () => {
    const pjsip = await stasisChannel(h, 'pbx1', 'PJSIP/alice');
    const local = await stasisChannel(h, 'pbx1');
    const r = await h.gql(
      'query($a: ID!, $b: ID!) { a: channel(id: $a) { rtpStats { txCount rxCount txPacketLoss rxPacketLoss localSsrc remoteSsrc txOctetCount rxOctetCount rtt } capabilities } b: channel(id: $b) { rtpStats { txCount } capabilities } }',
      { a: pjsip, b: local },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.a.rtpStats).toEqual(
      expect.objectContaining({
        txCount: expect.any(Number),
        rxCount: expect.any(Number),
        localSsrc: expect.any(Number),
        remoteSsrc: expect.any(Number),
      }),
    );
    expect(r.data!.a.capabilities).toContain('RTP_STATS');
    expect(r.data!.b).toEqual({ rtpStats: null, capabilities: expect.not.arrayContaining(['RTP_STATS']) });
  });

  it('one list call per backend per request, however many channels and fields', async () => {
    const created = await Promise.all(
      Array.from({ length: 25 }, () =>
        originate(h, { backend: 'pbx1', endpoint: 'Local/wait@ari-test', extension: 'wait', context: 'ari-test' }),
      ),
    );
    await Promise.all(
      Array.from({ length: 25 }, () =>
        originate(h, { backend: 'pbx2', endpoint: 'Local/wait@ari-test', extension: 'wait', context: 'ari-test' }),
      ),
    );
    for (const s of h.sims) s.resetRequestLog();
    const aliases = created
      .slice(0, 10)
      .map((c, i) => `c${i}: channel(id: "${c.id}") { id state }`)
      .join('\n');
    const r = await h.gql(
      `{ channels { id name state caller { number } backend { name kind } capabilities } ${aliases} }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.channels.length).toBeGreaterThanOrEqual(100);
    for (const s of h.sims) {
      expect(s.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /ari/channels']);
    }
  });

  it('single lookups are de-duplicated and batched into one list call from three on', async () => {
    const ids = await Promise.all(
      [1, 2, 3, 4].map(() =>
        originate(h, { backend: 'pbx2', endpoint: 'Local/wait@ari-test', extension: 'wait', context: 'ari-test' }),
      ),
    );
    h.sims[1].resetRequestLog();
    const one = await h.gql(`{ a: channel(id: "${ids[0].id}") { id } b: channel(id: "${ids[0].id}") { state } }`);
    expect(one.errors).toBeUndefined();
    expect(h.sims[1].requests.map((q) => `${q.method} ${q.path}`)).toEqual([`GET /ari/channels/${ids[0].nativeId}`]);
    h.sims[1].resetRequestLog();
    const many = await h.gql(`{ ${ids.map((c, i) => `c${i}: channel(id: "${c.id}") { id }`).join(' ')} }`);
    expect(many.errors).toBeUndefined();
    expect(h.sims[1].requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /ari/channels']);
  });
});

describe('queries from the live view while the event stream is healthy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simulators: 1 });
  });
  afterAll(() => h?.close());

  it('channels and channel(id) cost no backend request, and match what the backend lists', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => stasisChannel(h, 'pbx1')));
    const backendList = async () =>
      (await fetch(`${h.sims[0].url}/channels`, {
        headers: { authorization: `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}` },
      }).then((r) => r.json())) as Array<{ id: string; state: string }>;
    const view = async () =>
      (await h.gql('{ channels { nativeId state } }')).data!.channels as Array<{ nativeId: string; state: string }>;
    // ARI says "Up", the graph says UP: compare case-insensitively.
    const sorted = (l: Array<{ nativeId?: string; id?: string; state: string }>) =>
      l.map((c) => `${c.nativeId ?? c.id}:${c.state.toUpperCase()}`).sort();
    await waitFor(
      async () => JSON.stringify(sorted(await view())) === JSON.stringify(sorted(await backendList())),
      'live view equal to the backend list',
    );
    h.sims[0].resetRequestLog();
    const r = await h.gql(
      `{ channels { id state capabilities } ${ids
        .slice(0, 5)
        .map((id, i) => `c${i}: channel(id: "${id}") { id state }`)
        .join(' ')} }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.channels.length).toBeGreaterThanOrEqual(40);
    expect(h.sims[0].requests).toEqual([]);
  });
});

describe('partial failure', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simulators: 2 });
  });
  afterAll(() => h?.close());

  it('a down backend gives one BACKEND_UNAVAILABLE error naming it; the other still answers', async () => {
    const a = await stasisChannel(h, 'pbx1');
    await h.sims[1].close();
    await waitFor(async () => {
      const b = await h.gql('{ backends { name health { connected } } }');
      return b.data!.backends[1].health.connected === false;
    }, 'pbx2 reported disconnected');
    const r = await h.gql('{ channels { id backend { name } } }');
    expect(r.status).toBe(200);
    expect(r.data!.channels.map((c: { id: string }) => c.id)).toContain(a);
    expect(r.data!.channels.every((c: { backend: { name: string } }) => c.backend.name === 'pbx1')).toBe(true);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]).toMatchObject({
      path: ['channels'],
      extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'pbx2' },
    });
  });
});
