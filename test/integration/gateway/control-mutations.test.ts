/**
 * Every channel-control mutation: success on an answered channel in Stasis, and each error the
 * backend documents (404 unknown channel, 409 not in Stasis, 412 wrong state), plus input that
 * patchbay refuses before any backend call.
 */
import { startHarness, type Harness } from '../../helpers/gateway-harness';
import { dialplanChannel, downStasisChannel, firstError, stasisChannel } from '../../helpers/channels';

interface Op {
  name: string;
  doc: string;
  vars: (id: string) => Record<string, unknown>;
  /** ARI refuses it with 412 on a Down channel (docs/wire/ari.md §3.2). */
  needsLiveState: boolean;
}

const byId = (mutation: string, extra = ''): Pick<Op, 'doc' | 'vars'> => ({
  doc: `mutation($id: ID!) { ${mutation}(input: { id: $id${extra} }) { channel { id state } } }`,
  vars: (id) => ({ id }),
});

const OPS: Op[] = [
  { name: 'answerChannel', ...byId('answerChannel'), needsLiveState: true },
  { name: 'ringChannel', ...byId('ringChannel'), needsLiveState: true },
  { name: 'stopRinging', ...byId('stopRinging'), needsLiveState: true },
  { name: 'indicateProgress', ...byId('indicateProgress'), needsLiveState: true },
  { name: 'holdChannel', ...byId('holdChannel'), needsLiveState: true },
  { name: 'unholdChannel', ...byId('unholdChannel'), needsLiveState: true },
  { name: 'startMusicOnHold', ...byId('startMusicOnHold'), needsLiveState: true },
  { name: 'stopMusicOnHold', ...byId('stopMusicOnHold'), needsLiveState: true },
  { name: 'startSilence', ...byId('startSilence'), needsLiveState: true },
  { name: 'stopSilence', ...byId('stopSilence'), needsLiveState: true },
  { name: 'muteChannel', ...byId('muteChannel', ', direction: IN'), needsLiveState: true },
  { name: 'unmuteChannel', ...byId('unmuteChannel', ', direction: BOTH'), needsLiveState: true },
  {
    name: 'sendDtmf',
    doc: 'mutation($id: ID!) { sendDtmf(input: { id: $id, dtmf: "123#", durationMs: 50 }) { channel { id state } } }',
    vars: (id) => ({ id }),
    needsLiveState: true,
  },
  {
    name: 'setChannelVariable',
    doc: 'mutation($id: ID!) { setChannelVariable(input: { id: $id, name: "FOO", value: "bar" }) { channel { id state } } }',
    vars: (id) => ({ id }),
    needsLiveState: false,
  },
  {
    name: 'setChannelVariables',
    doc: 'mutation($id: ID!) { setChannelVariables(input: { id: $id, variables: [{ name: "A", value: "1" }, { name: "B", value: "2" }] }) { channel { id state } } }',
    vars: (id) => ({ id }),
    needsLiveState: false,
  },
  {
    name: 'reportTransferProgress',
    doc: 'mutation($id: ID!) { reportTransferProgress(input: { id: $id, state: CHANNEL_PROGRESS }) { channel { id state } } }',
    vars: (id) => ({ id }),
    needsLiveState: false,
  },
];

describe('channel control mutations against the ARI simulator', () => {
  let h: Harness;
  let live: string;
  let notInStasis: string;
  let down: string;

  beforeAll(async () => {
    h = await startHarness();
    live = await stasisChannel(h);
    notInStasis = await dialplanChannel(h);
    down = await downStasisChannel(h);
  });
  afterAll(() => h?.close());

  it.each(OPS.map((o) => [o.name, o] as const))(
    '%s succeeds on an answered channel in Stasis and returns it re-read',
    async (_n, op) => {
      const r = await h.gql(op.doc, op.vars(live));
      expect(r.errors).toBeUndefined();
      expect(r.data![op.name]).toEqual({ channel: { id: live, state: 'UP' } });
    },
  );

  it.each(OPS.map((o) => [o.name, o] as const))(
    '%s on an unknown channel: NOT_FOUND with the backend status and message',
    async (_n, op) => {
      const r = await h.gql(op.doc, op.vars('pbx1:1700000000.999'));
      const e = firstError(r);
      expect(e.extensions).toMatchObject({ code: 'NOT_FOUND', backend: 'pbx1', backendStatus: 404 });
      expect(typeof e.extensions!.backendMessage).toBe('string');
      // The payload is non-null, so a failed mutation nulls the whole `data`.
      expect(r.data).toBeNull();
    },
  );

  it.each(OPS.map((o) => [o.name, o] as const))(
    '%s on a channel outside Stasis: CHANNEL_NOT_IN_APPLICATION (409)',
    async (_n, op) => {
      const e = firstError(await h.gql(op.doc, op.vars(notInStasis)));
      expect(e.extensions).toMatchObject({
        code: 'CHANNEL_NOT_IN_APPLICATION',
        backendStatus: 409,
        backendMessage: 'Channel not in Stasis application',
      });
    },
  );

  it.each(OPS.filter((o) => o.needsLiveState).map((o) => [o.name, o] as const))(
    '%s on a Down channel: CHANNEL_STATE_INVALID (412)',
    async (_n, op) => {
      const e = firstError(await h.gql(op.doc, op.vars(down)));
      expect(e.extensions).toMatchObject({
        code: 'CHANNEL_STATE_INVALID',
        backendStatus: 412,
        backendMessage: 'Channel in invalid state',
      });
    },
  );

  it('refuses bad input before touching the backend', async () => {
    const sim = h.sims[0];
    sim.resetRequestLog();
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [
        'mutation($id: ID!) { sendDtmf(input: { id: $id, dtmf: "12x" }) { channel { id } } }',
        { id: live },
        'BAD_USER_INPUT',
      ],
      [
        'mutation($id: ID!) { sendDtmf(input: { id: $id, dtmf: "1", durationMs: -5 }) { channel { id } } }',
        { id: live },
        'BAD_USER_INPUT',
      ],
      [
        'mutation($id: ID!) { answerChannel(input: { id: $id }) { channel { id } } }',
        { id: 'no-colon' },
        'BAD_USER_INPUT',
      ],
      [
        'mutation($id: ID!) { answerChannel(input: { id: $id }) { channel { id } } }',
        { id: 'nosuchbackend:1.1' },
        'NOT_FOUND',
      ],
      [
        'mutation($id: ID!) { stopPlayback(input: { id: $id }) { stoppedPlaybackId } }',
        { id: 'nosuchbackend:pb-1' },
        'NOT_FOUND',
      ],
      [
        'mutation($id: ID!) { muteChannel(input: { id: $id, direction: SIDEWAYS }) { channel { id } } }',
        { id: live },
        'GRAPHQL_VALIDATION_FAILED',
      ],
      [
        'mutation($id: ID!) { setChannelVariable(input: { id: $id, name: " " }) { channel { id } } }',
        { id: live },
        'BAD_USER_INPUT',
      ],
    ];
    for (const [doc, vars, code] of cases) {
      const r = await h.gql(doc, vars);
      expect(firstError(r).extensions?.code).toBe(code);
    }
    expect(sim.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('an unset variable reads as null; a set one reads back', async () => {
    await h.gql(
      'mutation($id: ID!) { setChannelVariable(input: { id: $id, name: "GREETING", value: "hello world+1" }) { channel { id } } }',
      { id: live },
    );
    const r = await h.gql(
      'query($id: ID!) { channel(id: $id) { a: variable(name: "GREETING") b: variable(name: "NO_SUCH_VAR") c: variable(name: "CHANNEL(name)") name } }',
      {
        id: live,
      },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.channel.a).toBe('hello world+1');
    expect(r.data!.channel.b).toBeNull();
    expect(r.data!.channel.c).toBe(r.data!.channel.name);
  });
});
