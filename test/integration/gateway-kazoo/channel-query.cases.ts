/**
 * KAZOO channels in the same graph as ARI ones: fields, filters, channel(id), loader batching,
 * system-wide listing and broken KAZOO backends. Backends: see startKazooGraph.
 */
import { originate } from '../../helpers/channels';
import { waitFor } from '../../helpers/gateway-harness';
import { crossbarGet, type KazooGateway, type KazooGraph, type Traced } from './kazoo-gateway';

const GREGORIAN_OFFSET_S = 62_167_219_200;
const KAZOO_ACTIONS = ['HANGUP', 'TRANSFER', 'BREAK', 'SEND_TO_CALLFLOW', 'INTERCEPT', 'RUN_METAFLOW'];
/** KAZOO refuses to transfer a call that is not bridged: capabilities leave TRANSFER out until it is. */
const UNBRIDGED_ACTIONS = KAZOO_ACTIONS.filter((a) => a !== 'TRANSFER');
const ALL_FIELDS = `id nativeId name state rawState backend { name kind } accountId direction answered ownerId
  authorizingId authorizingType presenceId destination username caller { name number } callee { name number }
  connected { name number } accountCode dialplan { appName } language protocolId createdAt capabilities otherLeg { id }`;

let g: KazooGraph;
const kazooCalls: string[] = [];
const ariChannels: string[] = [];

function call(o: Parameters<KazooGateway['sim']['startCall']>[0]): [string, string] {
  const a = g.sim.startCall(o);
  kazooCalls.push(a);
  return [a, g.sim.callLegs(a)[1]];
}

/** One PJSIP channel on pbx1, inside the Stasis app. */
async function ariChannel(): Promise<string> {
  const ch = await originate(g.h, { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay' });
  ariChannels.push(ch.id);
  return ch.id as string;
}

async function channelIds(
  filter: Record<string, unknown>,
): Promise<{ ids: string[]; errors: Array<[string, string]> }> {
  const r = await g.h.gql<{ channels: Array<{ id: string }> }>(
    'query($f: ChannelFilter) { channels(filter: $f) { id } }',
    { f: filter },
  );
  return {
    ids: (r.data?.channels ?? []).map((c) => c.id).sort(),
    errors: (r.errors ?? []).map((e): [string, string] => [e.extensions!.code, e.extensions!.backend]).sort(),
  };
}

/** The two broken KAZOO backends of the graph, as [code, backend] of the errors they add. */
const broken: Array<[string, string]> = [
  ['BACKEND_AUTH_FAILED', 'kzbadkey'],
  ['BACKEND_UNAVAILABLE', 'kzdown'],
];

/**
 * Unfiltered lists may be answered from the gateway's event-fed live view, which sees a call a
 * moment after the simulator starts it: poll (bounded) until the answer is the expected one.
 */
async function eventually(
  filter: Record<string, unknown>,
  expected: { ids: string[]; errors: Array<[string, string]> },
): Promise<void> {
  let last: unknown;
  try {
    await waitFor(
      async () => {
        last = await channelIds(filter);
        return JSON.stringify(last) === JSON.stringify(expected);
      },
      `channels(${JSON.stringify(filter)})`,
      3000,
    );
  } catch {
    expect(last).toEqual(expected);
  }
}

export function channelQueryCases(graph: () => KazooGraph): void {
  beforeAll(() => {
    g = graph();
  });
  afterEach(async () => {
    for (const id of kazooCalls.splice(0)) if (g.sim.callLegs(id).length) g.sim.hangupCall(id);
    for (const id of ariChannels.splice(0))
      await g.h.gql('mutation($id: ID!) { hangupChannel(input: { id: $id }) { hungUpChannelId } }', { id });
  });

  it('KAZOO channels carry every KAZOO field, createdAt from Gregorian seconds, and capabilities', async () => {
    const [aLeg, bLeg] = call({
      accountId: g.acme.id,
      fromUserId: g.user('olivia.owner'),
      toUserId: g.user('alice.agent'),
    });
    const wire = (await crossbarGet(g.sim, g.acme, `/accounts/${g.acme.id}/channels`)) as Array<{
      uuid: string;
      timestamp: number;
    }>;
    const createdAt = (callId: string) =>
      new Date((wire.find((w) => w.uuid === callId)!.timestamp - GREGORIAN_OFFSET_S) * 1000).toISOString();

    // An account filter always reads Crossbar's channel list.
    const { channels } = await g.ok<{ channels: any[] }>(
      `query($a: String!) { channels(filter: { accountId: $a, backend: "kz" }) { ${ALL_FIELDS} } }`,
      { a: g.acme.id },
    );
    expect(channels.map((c) => c.id).sort()).toEqual([g.cid(aLeg), g.cid(bLeg)].sort());
    expect(channels.find((c) => c.id === g.cid(aLeg))).toEqual({
      id: g.cid(aLeg),
      nativeId: aLeg,
      name: '200@acme.sip.example.com',
      state: 'RING',
      rawState: 'unanswered',
      backend: { name: 'kz', kind: 'KAZOO' },
      accountId: g.acme.id,
      direction: 'INBOUND',
      answered: false,
      ownerId: g.user('olivia.owner'),
      authorizingId: g.deviceOf('olivia.owner'),
      authorizingType: 'device',
      presenceId: '200@acme.sip.example.com',
      destination: '201',
      username: 'user_oli200',
      caller: { name: 'Olivia Owner', number: '200' },
      callee: { name: 'Alice Agent', number: '201' },
      connected: { name: 'Alice Agent', number: '201' },
      accountCode: '',
      dialplan: null,
      language: null,
      protocolId: null,
      createdAt: createdAt(aLeg),
      capabilities: UNBRIDGED_ACTIONS,
      otherLeg: null,
    });
    const aliceDevice = g.sim.world.devices.find((d) => d.id === g.deviceOf('alice.agent'))!;
    expect(channels.find((c) => c.id === g.cid(bLeg))).toEqual({
      id: g.cid(bLeg),
      nativeId: bLeg,
      name: `${aliceDevice.sipUsername}@acme.sip.example.com`,
      state: 'RINGING',
      rawState: 'unanswered',
      backend: { name: 'kz', kind: 'KAZOO' },
      accountId: g.acme.id,
      direction: 'OUTBOUND',
      answered: false,
      ownerId: g.user('alice.agent'),
      authorizingId: aliceDevice.id,
      authorizingType: 'device',
      presenceId: `${aliceDevice.sipUsername}@acme.sip.example.com`,
      destination: aliceDevice.sipUsername,
      username: aliceDevice.sipUsername,
      caller: { name: 'Olivia Owner', number: '200' },
      callee: { name: 'Alice Agent', number: '201' },
      connected: { name: 'Alice Agent', number: '201' },
      accountCode: '',
      dialplan: null,
      language: null,
      protocolId: null,
      createdAt: createdAt(bLeg),
      capabilities: KAZOO_ACTIONS,
      otherLeg: { id: g.cid(aLeg) },
    });
  });

  it('one `channels` query returns ARI and KAZOO channels; a down KAZOO backend adds one BACKEND_UNAVAILABLE naming it', async () => {
    const ari = await ariChannel();
    const [aLeg, bLeg] = call({
      accountId: g.acme.id,
      fromUserId: g.user('olivia.owner'),
      toUserId: g.user('alice.agent'),
    });
    const rest = (
      await g.ok<{ channels: any[] }>(
        `query($a: String!) { channels(filter: { accountId: $a, backend: "kz" }) { ${ALL_FIELDS} } }`,
        { a: g.acme.id },
      )
    ).channels;
    const want = [ari, g.cid(aLeg), g.cid(bLeg)].sort();
    // Unfiltered lists may come from the gateway's event-fed live view: wait until it has seen the call.
    const r = await waitFor(async () => {
      const res = await g.h.gql<{ channels: any[] }>(`{ channels { ${ALL_FIELDS} } }`);
      return JSON.stringify((res.data?.channels ?? []).map((c) => c.id).sort()) === JSON.stringify(want) ? res : null;
    }, 'both kinds listed');
    expect(r.status).toBe(200);
    // One error per broken backend, each naming it; everything else still answers.
    const byBackend = Object.fromEntries(r.errors!.map((e) => [e.extensions!.backend, e]));
    expect(r.errors).toHaveLength(2);
    expect(byBackend.kzdown).toEqual({
      message: 'KAZOO PUT /api_auth failed: connection refused',
      path: ['channels'],
      extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'kzdown' },
    });
    expect(byBackend.kzbadkey).toEqual({
      message: "KAZOO refused the gateway's api key: bad identifier",
      path: ['channels'],
      extensions: {
        code: 'BACKEND_AUTH_FAILED',
        backend: 'kzbadkey',
        backendStatus: 404,
        backendMessage: 'bad identifier',
      },
    });
    const channels = r.data!.channels;
    for (const leg of [aLeg, bLeg]) {
      const mixed = channels.find((c) => c.id === g.cid(leg));
      const fromRest = rest.find((c) => c.id === g.cid(leg));
      // destination and sub-second createdAt may differ when the list comes from call events; see the report.
      const comparable = ({ destination: _d, createdAt, ...others }: any) => ({
        ...others,
        createdAtSecond: String(createdAt).slice(0, 19),
      });
      expect(comparable(mixed)).toEqual(comparable(fromRest));
    }
    const a = channels.find((c) => c.id === ari);
    expect(a).toMatchObject({
      backend: { name: 'pbx1', kind: 'ARI' },
      accountId: null,
      direction: null,
      answered: null,
      ownerId: null,
      authorizingId: null,
      authorizingType: null,
      presenceId: null,
      destination: null,
      username: null,
      callee: null,
      otherLeg: null,
    });
    expect(a.capabilities).toContain('HANGUP');
    expect(a.capabilities).not.toContain('TRANSFER');
  });

  it('answered calls are UP; filters backend, accountId, userId, deviceId and states', async () => {
    const [aLeg, bLeg] = call({
      accountId: g.acme.id,
      fromUserId: g.user('olivia.owner'),
      toUserId: g.user('bob.agent'),
    });
    const [pstn] = call({ accountId: g.acme.id, destination: '+14155550100' });
    g.sim.answerCall(aLeg);
    const ari = await ariChannel();
    const kz = [g.cid(aLeg), g.cid(bLeg), g.cid(pstn)].sort();

    await eventually({ backend: 'kz' }, { ids: kz, errors: [] });
    await eventually({ backend: 'pbx1' }, { ids: [ari], errors: [] });
    expect(await channelIds({ backend: 'kz', accountId: g.acme.id })).toEqual({ ids: kz, errors: [] });
    // accountId alone: only KAZOO backends are asked; the admin backend may read the customer account too.
    expect(await channelIds({ accountId: g.acme.id })).toEqual({
      ids: [...kz, ...[aLeg, bLeg, pstn].map((c) => `kzadmin:${c}`)].sort(),
      errors: broken,
    });
    expect(await channelIds({ backend: 'kz', userId: g.user('bob.agent') })).toEqual({
      ids: [g.cid(bLeg)],
      errors: [],
    });
    expect(await channelIds({ backend: 'kz', deviceId: g.deviceOf('olivia.owner') })).toEqual({
      ids: [g.cid(aLeg)],
      errors: [],
    });
    expect(await channelIds({ backend: 'kz', userId: g.user('carol.agent') })).toEqual({ ids: [], errors: [] });
    expect(await channelIds({ backend: 'kz', accountId: g.acme.id, states: ['UP'] })).toEqual({
      ids: [g.cid(aLeg), g.cid(bLeg)].sort(),
      errors: [],
    });
    expect(await channelIds({ backend: 'kz', accountId: g.acme.id, states: ['RING'] })).toEqual({
      ids: [g.cid(pstn)],
      errors: [],
    });
    await eventually({ backend: 'kz', states: ['UP'] }, { ids: [g.cid(aLeg), g.cid(bLeg)].sort(), errors: [] });
    await eventually(
      { states: ['UP', 'RING'] },
      { ids: [ari, g.cid(aLeg), g.cid(bLeg), g.cid(pstn)].sort(), errors: broken },
    );

    const up = await g.ok<{ channel: any }>(
      'query($id: ID!) { channel(id: $id) { state rawState answered otherLeg { id state answered } } }',
      { id: g.cid(aLeg) },
    );
    expect(up.channel).toEqual({
      state: 'UP',
      rawState: 'answered',
      answered: true,
      otherLeg: { id: g.cid(bLeg), state: 'UP', answered: true },
    });
  });

  it('bad filters are BAD_USER_INPUT naming the argument, before any backend call', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ userId: g.user('bob.agent'), deviceId: g.deviceOf('bob.agent') }, 'filter.userId'],
      [{ accountId: 'ACME' }, 'filter.accountId'],
      [{ userId: 'bob' }, 'filter.userId'],
      [{ deviceId: '123' }, 'filter.deviceId'],
      [{ backend: 'nope' }, 'filter.backend'],
    ];
    for (const [f, arg] of cases) {
      const { r, lines } = await g.traced('query($f: ChannelFilter) { channels(filter: $f) { id } }', { f });
      expect(r.data).toBeNull();
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: arg });
      expect(lines).toEqual([]);
    }
  });

  it('channel(id) reads a KAZOO call (detail) and an ARI channel; an unknown call-id is null', async () => {
    const [aLeg, bLeg] = call({
      accountId: g.acme.id,
      fromUserId: g.user('olivia.owner'),
      toUserId: g.user('carol.agent'),
    });
    g.sim.answerCall(aLeg);
    const ari = await ariChannel();
    const query = `query($k: ID!, $a: ID!) {
        k: channel(id: $k) { id nativeId state answered accountId ownerId caller { name number } capabilities otherLeg { id ownerId } }
        a: channel(id: $a) { id backend { kind } accountId }
        gone: channel(id: "kz:no-such-call") { id } }`;
    // channel(id) may be answered from the live view: wait until it has seen the answer.
    let traced!: Traced;
    await waitFor(async () => {
      traced = await g.traced(query, { k: g.cid(aLeg), a: ari });
      return traced.r.data?.k?.state === 'UP';
    }, 'answered call read as UP');
    const { r: res, lines } = traced;
    expect(res.errors).toBeUndefined();
    const r = res.data as Record<string, any>;
    expect(r.k).toEqual({
      id: g.cid(aLeg),
      nativeId: aLeg,
      state: 'UP',
      answered: true,
      accountId: g.acme.id,
      ownerId: g.user('olivia.owner'),
      caller: { name: 'Olivia Owner', number: '200' },
      capabilities: KAZOO_ACTIONS,
      otherLeg: { id: g.cid(bLeg), ownerId: g.user('carol.agent') },
    });
    expect(r.a).toEqual({ id: ari, backend: { kind: 'ARI' }, accountId: null });
    expect(r.gone).toBeNull();
    // At most: detail of the call and of its other leg, and for the unknown id its detail (503) plus
    // the account list that confirms it is gone. Never more than one read of each.
    const allowed = [
      `GET /accounts/${g.acme.id}/channels/${encodeURIComponent(aLeg)}`,
      `GET /accounts/${g.acme.id}/channels/${encodeURIComponent(bLeg)}`,
      `GET /accounts/${g.acme.id}/channels/no-such-call`,
      `GET /accounts/${g.acme.id}/channels`,
    ];
    expect(lines.filter((l) => !allowed.includes(l))).toEqual([]);
    expect(new Set(lines).size).toBe(lines.length);
    const unknown = await g.h.gql('{ channel(id: "nope:abc") { id } }');
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ channel: null });
  });

  it('a channel list with otherLeg (two levels deep) costs one list call per account', async () => {
    const legs = Array.from({ length: 6 }, (_, i) =>
      call({
        accountId: g.acme.id,
        fromUserId: g.user('olivia.owner'),
        toUserId: g.user(i % 2 ? 'alice.agent' : 'bob.agent'),
      }),
    );
    for (const [a] of legs.slice(0, 3)) g.sim.answerCall(a);
    // Every B-leg points at its A-leg; answered A-legs point back at their B-leg.
    const expectedOther = [
      ...legs.map(([, b]) => [g.cid(b), g.cid(legs.find(([, x]) => x === b)![0])]),
      ...legs.slice(0, 3).map(([a, b]) => [g.cid(a), g.cid(b)]),
    ].sort();
    const q = 'query($f: ChannelFilter) { channels(filter: $f) { id otherLeg { id ownerId otherLeg { id } } } }';

    type Row = { id: string; otherLeg: { id: string; otherLeg: { id: string } | null } | null };
    const pairs = (rows: Row[]) =>
      rows
        .filter((c) => c.otherLeg)
        .map((c) => [c.id, c.otherLeg!.id])
        .sort();
    const acmeList = `GET /accounts/${g.acme.id}/channels`;

    // Filtered by account: read from Crossbar, exactly one list call, whatever the depth.
    const filtered = await g.traced<{ channels: Row[] }>(q, { f: { backend: 'kz', accountId: g.acme.id } });
    expect(filtered.r.data!.channels).toHaveLength(12);
    expect(pairs(filtered.r.data!.channels)).toEqual(expectedOther);
    for (const c of filtered.r.data!.channels) if (c.otherLeg?.otherLeg) expect(c.otherLeg.otherLeg.id).toBe(c.id);
    expect(filtered.lines).toEqual([acmeList]);

    // Unfiltered: the list call or the live view (no call at all); never a per-channel read.
    let unfiltered!: Traced;
    await waitFor(async () => {
      unfiltered = await g.traced<{ channels: Row[] }>(q, { f: { backend: 'kz' } });
      return JSON.stringify(pairs(unfiltered.r.data?.channels ?? [])) === JSON.stringify(expectedOther);
    }, 'all other legs listed');
    expect(unfiltered.r.data!.channels).toHaveLength(12);
    expect(unfiltered.lines.filter((l) => l !== acmeList)).toEqual([]);
    expect(unfiltered.lines.length).toBeLessThanOrEqual(1);

    // Every backend: at most one list call per account (kz: Acme; kzadmin: the master account).
    const all = await g.traced(q);
    expect(all.r.errors!.map((e) => [e.extensions!.code, e.extensions!.backend]).sort()).toEqual(broken);
    const masterList = `GET /accounts/${g.sim.world.superduperAccount.id}/channels`;
    // (kzbadkey's refused PUT /api_auth is its only request.)
    expect(all.lines.filter((l) => l !== acmeList && l !== masterList && l !== 'PUT /api_auth')).toEqual([]);
    expect(new Set(all.lines).size).toBe(all.lines.length);
  });

  it('systemWide: FORBIDDEN where the backend may not, every account where it may; ARI is left out', async () => {
    const [pstn] = call({ accountId: g.acme.id, destination: '+14155550100' });
    await ariChannel();
    const q = '{ channels(filter: { systemWide: true }) { id accountId backend { name } } }';

    const off = await g.h.gql(q);
    expect(off.data).toEqual({ channels: [] });
    const codes = (r: typeof off) => r.errors!.map((e) => [e.extensions!.code, e.extensions!.backend]).sort();
    expect(codes(off)).toEqual([...broken, ['FORBIDDEN', 'kz'], ['FORBIDDEN', 'kzadmin']]);
    expect(off.errors!.find((e) => e.extensions!.backend === 'kz')!.message).toMatch(
      /may not list channels system-wide/,
    );

    const combined = await g.traced(`{ channels(filter: { systemWide: true, accountId: "${g.acme.id}" }) { id } }`);
    // Refused once, up front, before any request.
    expect(combined.r.errors!.map((e) => e.extensions!.code)).toEqual(['BAD_USER_INPUT']);
    expect(combined.lines).toEqual([]);

    g.sim.setAllowSystemWideChannels(true);
    try {
      const on = await g.h.gql(q);
      expect(on.data).toEqual({ channels: [{ id: `kzadmin:${pstn}`, accountId: null, backend: { name: 'kzadmin' } }] });
      expect(codes(on)).toEqual([...broken, ['FORBIDDEN', 'kz']]);
    } finally {
      g.sim.setAllowSystemWideChannels(false);
    }
  });

  it('the down backend: channel(id) and recipients(backend) are BACKEND_UNAVAILABLE naming it', async () => {
    const one = await g.h.gql('{ channel(id: "kzdown:abc") { id } }');
    expect(one.data).toEqual({ channel: null });
    expect(one.errors).toHaveLength(1);
    expect(one.errors![0].extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'kzdown' });
    const rec = await g.h.gql('{ recipients(backend: "kzdown") { id } }');
    expect(rec.data).toEqual({ recipients: [] });
    expect(rec.errors!.map((e) => [e.extensions!.code, e.extensions!.backend])).toEqual([
      ['BACKEND_UNAVAILABLE', 'kzdown'],
    ]);
  });
}
