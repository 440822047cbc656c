/** originate, createChannel + dialChannel, hangup, continue, move, redirect, snoop, externalMedia. */
import { startHarness, subscribe, waitFor, type Harness } from '../../helpers/gateway-harness';
import {
  CHANNEL_FIELDS,
  capabilitiesOf,
  dialplanChannel,
  firstError,
  originate,
  stasisChannel,
} from '../../helpers/channels';

const ARI_ID = /^\d+\.\d+$/;

describe('channel lifecycle mutations against the ARI simulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('originate into the app returns the channel as created (Down, AppDial2); subscribing afterwards with its actionCursor misses nothing', async () => {
    const ch = await originate(h, {
      backend: 'pbx1',
      endpoint: 'Local/wait@ari-test',
      app: 'patchbay',
      callerId: '"Alice" <+15551234>',
    });
    expect(ch.nativeId).toMatch(ARI_ID);
    expect(ch.id).toBe(`pbx1:${ch.nativeId}`);
    expect(ch).toMatchObject({
      state: 'DOWN',
      rawState: 'Down',
      backend: { name: 'pbx1', kind: 'ARI' },
      dialplan: { appName: 'AppDial2', appData: '(Outgoing Line)' },
      caller: { name: 'Alice', number: '+15551234' },
    });
    expect(ch.name).toMatch(/^Local\/wait@ari-test-[0-9a-f]{8};1$/);
    expect(new Date(ch.createdAt).toISOString()).toBe(ch.createdAt);
    expect(ch.actionCursor).toMatch(/^\d+$/);
    // The channel's first events may already be journaled: the cursor still brings them.
    await waitFor(
      async () => BigInt((await h.gateway.events.journal.latestCursor()) ?? '0') > BigInt(ch.actionCursor),
      'the first events journaled',
    );
    const sub = subscribe(
      h.wsClient(),
      'subscription($id: ID!, $after: String) { channelEvents(filter: { channelId: $id }, after: $after) { __typename cursor channelId channel { state } } }',
      {
        id: ch.id,
        after: ch.actionCursor,
      },
    );
    await waitFor(
      () => sub.items.some((i) => i.data?.channelEvents.__typename === 'ChannelAnswered'),
      'the channel answered',
    );
    const items = sub.items;
    const types = items.map((i) => i.data!.channelEvents.__typename);
    expect(types[0]).toBe('ChannelCreated');
    expect(types).toContain('ChannelStateChanged');
    expect(items[0].data!.channelEvents).toMatchObject({ channelId: ch.id, channel: { state: 'DOWN' } });
    expect(
      items.find((i) => i.data!.channelEvents.__typename === 'ChannelAnswered')!.data!.channelEvents.channel.state,
    ).toBe('UP');
    const cursors = items.map((i) => BigInt(i.data!.channelEvents.cursor));
    expect(cursors[0] > BigInt(ch.actionCursor)).toBe(true);
    expect([...cursors].sort((a, b) => (a < b ? -1 : 1))).toEqual(cursors);
    sub.dispose();
  });

  it('originate with channelId uses it; the same id again is a CONFLICT', async () => {
    const ch = await originate(h, {
      backend: 'pbx1',
      endpoint: 'Local/wait@ari-test',
      app: 'patchbay',
      channelId: 'dup-test-1',
      otherChannelId: 'dup-test-1-other',
    });
    expect(ch.id).toBe('pbx1:dup-test-1');
    const r = await h.gql('mutation($input: OriginateInput!) { originate(input: $input) { channel { id } } }', {
      input: { backend: 'pbx1', endpoint: 'Local/wait@ari-test', app: 'patchbay', channelId: 'dup-test-1' },
    });
    expect(firstError(r).extensions).toMatchObject({
      code: 'CONFLICT',
      backendStatus: 409,
      backendMessage: 'Channel with given unique ID already exists',
    });
  });

  it('originate to an unknown technology keeps ARI\'s "Allocation failed"', async () => {
    const r = await h.gql('mutation($input: OriginateInput!) { originate(input: $input) { channel { id } } }', {
      input: { backend: 'pbx1', endpoint: 'NoSuchTech/foo', app: 'patchbay' },
    });
    expect(firstError(r).extensions).toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      backendStatus: 500,
      backendMessage: 'Allocation failed',
    });
  });

  it('originate input is validated before any backend call', async () => {
    h.sims[0].resetRequestLog();
    const bad: Array<Record<string, unknown>> = [
      { backend: 'pbx1', endpoint: 'alice', app: 'patchbay' },
      { backend: 'pbx1', endpoint: 'PJSIP/alice' },
      { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay', extension: '100' },
      { backend: 'nope', endpoint: 'PJSIP/alice', app: 'patchbay' },
      { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay', channelId: 'x'.repeat(150) },
      { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay', timeoutSeconds: 0 },
      { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay', originator: 'pbx2:1.1' },
      {
        backend: 'pbx1',
        endpoint: 'PJSIP/alice',
        app: 'patchbay',
        variables: [
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ],
      },
    ];
    for (const input of bad) {
      const r = await h.gql('mutation($input: OriginateInput!) { originate(input: $input) { channel { id } } }', {
        input,
      });
      expect(firstError(r).extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(h.sims[0].requests).toEqual([]);
  });

  it('originate with variables sets them on the channel; report_events shows them in the snapshot', async () => {
    const ch = await originate(h, {
      backend: 'pbx1',
      endpoint: 'Local/wait@ari-test',
      app: 'patchbay',
      variables: [
        { name: 'CALLERID(name)', value: 'Bob' },
        { name: 'TAG', value: 'a+b c', reportEvents: true },
      ],
    });
    const r = await h.gql('query($id: ID!) { channel(id: $id) { tag: variable(name: "TAG") reportedVariables } }', {
      id: ch.id,
    });
    expect(r.data!.channel).toEqual({ tag: 'a+b c', reportedVariables: { TAG: 'a+b c' } });
  });

  it('createChannel makes a Down channel in Stasis; dialChannel dials it; dialing twice is refused', async () => {
    const r = await h.gql(
      'mutation { createChannel(input: { backend: "pbx1", endpoint: "PJSIP/bob", app: "patchbay" }) { channel { id state dialplan { appName } } } }',
    );
    expect(r.errors).toBeUndefined();
    const id = r.data!.createChannel.channel.id;
    expect(r.data!.createChannel.channel.state).toBe('DOWN');
    await waitFor(async () => (await capabilitiesOf(h, id))?.includes('DIAL'), 'created channel in Stasis');
    const d = await h.gql(
      'mutation($id: ID!) { dialChannel(input: { id: $id, timeoutSeconds: 10 }) { channel { id } } }',
      { id },
    );
    expect(d.errors).toBeUndefined();
    await waitFor(
      async () => (await h.gql('query($id: ID!) { channel(id: $id) { state } }', { id })).data?.channel?.state === 'UP',
      'dialed channel answered',
    );
    const again = await h.gql('mutation($id: ID!) { dialChannel(input: { id: $id }) { channel { id } } }', { id });
    expect(firstError(again).extensions).toMatchObject({ code: 'CHANNEL_STATE_INVALID', backendStatus: 409 });
  });

  it('dialChannel on a channel not made by createChannel is refused by ARI', async () => {
    const id = await stasisChannel(h);
    const r = await h.gql('mutation($id: ID!) { dialChannel(input: { id: $id }) { channel { id } } }', { id });
    expect(firstError(r).extensions?.backendStatus).toBe(409);
  });

  it('hangupChannel works in Stasis and outside it; the channel then disappears', async () => {
    for (const id of [await stasisChannel(h), await dialplanChannel(h)]) {
      const r = await h.gql(
        'mutation($id: ID!) { hangupChannel(input: { id: $id, reason: BUSY }) { hungUpChannelId channel { id state } } }',
        { id },
      );
      // The id to evict and the channel as it was just before the hangup.
      expect(r).toMatchObject({ data: { hangupChannel: { hungUpChannelId: id, channel: { id } } } });
      await waitFor(
        async () => (await h.gql('query($id: ID!) { channel(id: $id) { id } }', { id })).data?.channel === null,
        'channel gone',
      );
    }
  });

  it('hangupChannel errors: unknown channel, reason with reasonCode', async () => {
    const gone = await h.gql('mutation { hangupChannel(input: { id: "pbx1:1700000000.999" }) { hungUpChannelId } }');
    expect(firstError(gone).extensions).toMatchObject({
      code: 'NOT_FOUND',
      backendStatus: 404,
      backendMessage: 'Channel not found',
    });
    const both = await h.gql(
      'mutation { hangupChannel(input: { id: "pbx1:1.1", reason: BUSY, reasonCode: 17 }) { hungUpChannelId } }',
    );
    expect(firstError(both).extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('hangupChannel with a Q.850 reasonCode is passed through', async () => {
    const id = await stasisChannel(h);
    const client = h.wsClient();
    const sub = subscribe(
      client,
      'subscription($id: ID!, $after: String) { channelEvents(filter: { channelId: $id, types: [CHANNEL_DESTROYED] }, after: $after) { __typename ... on ChannelDestroyed { causeCode causeText } raw } }',
      { id, after: h.cursor() },
    );
    await h.gql('mutation($id: ID!) { hangupChannel(input: { id: $id, reasonCode: 17 }) { hungUpChannelId } }', { id });
    const [ev] = await sub.waitForCount(1);
    expect(ev.data!.channelEvents).toMatchObject({
      __typename: 'ChannelDestroyed',
      causeCode: 17,
      causeText: 'User busy',
    });
    expect(ev.data!.channelEvents.raw).toMatchObject({ type: 'ChannelDestroyed', cause: 17, cause_txt: 'User busy' });
    sub.dispose();
  });

  it('continueInDialplan sends an inbound call back to the dialplan; an originated one has none and hangs up', async () => {
    const native = h.sims[0].inboundCall({ endpoint: 'PJSIP/alice', exten: '100', app: 'patchbay', answered: true });
    const id = `pbx1:${native}`;
    await waitFor(async () => (await capabilitiesOf(h, id))?.includes('ANSWER'), 'inbound call in Stasis');
    const r = await h.gql(
      'mutation($id: ID!) { continueInDialplan(input: { id: $id, context: "ari-test", extension: "wait", priority: 1 }) { channel { id } } }',
      { id },
    );
    expect(r.errors).toBeUndefined();
    await waitFor(async () => !(await capabilitiesOf(h, id))?.includes('ANSWER'), 'channel left Stasis');
    const again = await h.gql('mutation($id: ID!) { continueInDialplan(input: { id: $id }) { channel { id } } }', {
      id,
    });
    expect(firstError(again).extensions?.code).toBe('CHANNEL_NOT_IN_APPLICATION');

    const originated = await stasisChannel(h);
    await h.gql('mutation($id: ID!) { continueInDialplan(input: { id: $id }) { channel { id } } }', { id: originated });
    await waitFor(
      async () =>
        (await h.gql('query($id: ID!) { channel(id: $id) { id } }', { id: originated })).data?.channel === null,
      'originated channel hung up',
    );
  });

  it('moveChannel answers 204 even to an unknown app; redirectChannel checks the technology', async () => {
    const id = await stasisChannel(h);
    const moved = await h.gql(
      'mutation($id: ID!) { moveChannel(input: { id: $id, app: "not-registered" }) { channel { id } } }',
      { id },
    );
    expect(moved.errors).toBeUndefined();
    const redirect = await h.gql(
      'mutation($id: ID!) { redirectChannel(input: { id: $id, endpoint: "PJSIP/bob" }) { channel { id } } }',
      { id },
    );
    expect(firstError(redirect).extensions).toMatchObject({ code: 'UNSUPPORTED_FORMAT', backendStatus: 422 });
    const notInStasis = await h.gql(
      'mutation($id: ID!) { moveChannel(input: { id: $id, app: "x" }) { channel { id } } }',
      { id: await dialplanChannel(h) },
    );
    expect(firstError(notInStasis).extensions?.code).toBe('CHANNEL_NOT_IN_APPLICATION');
  });

  it('snoopChannel creates an Up Snoop channel; errors for unknown channel and no direction', async () => {
    const id = await stasisChannel(h);
    const r = await h.gql(
      `mutation($id: ID!) { snoopChannel(input: { id: $id, app: "patchbay", spy: BOTH }) { channel { ${CHANNEL_FIELDS} } } }`,
      { id },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.snoopChannel.channel.state).toBe('UP');
    expect(r.data!.snoopChannel.channel.name).toMatch(
      new RegExp(`^Snoop/${id.split(':')[1].replace('.', '\\.')}-[0-9a-f]{8}$`),
    );
    const none = await h.gql(
      'mutation($id: ID!) { snoopChannel(input: { id: $id, app: "patchbay" }) { channel { id } } }',
      { id },
    );
    expect(firstError(none).extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await h.gql(
      'mutation { snoopChannel(input: { id: "pbx1:1.999", app: "patchbay", spy: IN }) { channel { id } } }',
    );
    expect(firstError(unknown).extensions).toMatchObject({ code: 'NOT_FOUND', backendStatus: 404 });
  });

  it('createExternalMedia makes an answered UnicastRTP channel', async () => {
    const r = await h.gql(
      'mutation { createExternalMedia(input: { backend: "pbx1", app: "patchbay", externalHost: "127.0.0.1:40000", format: "ulaw" }) { channel { id name state reportedVariables } } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.createExternalMedia.channel.name).toMatch(/^UnicastRTP\/127\.0\.0\.1:40000-/);
    expect(Object.keys(r.data!.createExternalMedia.channel.reportedVariables)).toEqual(
      expect.arrayContaining(['UNICASTRTP_LOCAL_ADDRESS', 'UNICASTRTP_LOCAL_PORT']),
    );
    const bad = await h.gql(
      'mutation { createExternalMedia(input: { backend: "pbx1", app: "patchbay", externalHost: "nohostport", format: "ulaw" }) { channel { id } } }',
    );
    expect(firstError(bad).extensions?.code).toBe('BAD_USER_INPUT');
  });
});
