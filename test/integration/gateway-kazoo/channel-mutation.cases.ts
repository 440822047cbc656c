/**
 * Channel actions across kinds: hangup on both, the KAZOO-only actions, and refusals of actions
 * a backend kind does not have (UNSUPPORTED_OPERATION before any backend call).
 */
import { originate } from '../../helpers/channels';
import { waitFor } from '../../helpers/gateway-harness';
import type { KazooGraph } from './kazoo-gateway';

let g: KazooGraph;
const kazooCalls: string[] = [];

/** An answered, bridged internal call; returns [A-leg, B-leg] call-ids. */
function bridgedCall(): [string, string] {
  const a = g.sim.startCall({
    accountId: g.acme.id,
    fromUserId: g.user('olivia.owner'),
    toUserId: g.user('bob.agent'),
  });
  kazooCalls.push(a);
  g.sim.answerCall(a);
  return [a, g.sim.callLegs(a)[1]];
}

async function ariChannel(): Promise<string> {
  return (await originate(g.h, { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay' })).id as string;
}

const chan = (callId: string) => `/accounts/${g.acme.id}/channels/${encodeURIComponent(callId)}`;
const HANGUP = 'mutation($input: HangupChannelInput!) { hangupChannel(input: $input) { hungUpChannelId } }';

export function channelMutationCases(graph: () => KazooGraph): void {
  beforeAll(() => {
    g = graph();
  });
  afterEach(() => {
    for (const id of kazooCalls.splice(0)) if (g.sim.callLegs(id).length) g.sim.hangupCall(id);
  });

  describe('hangupChannel', () => {
    it('hangs up a KAZOO call with one POST; the call ends and channel(id) is null', async () => {
      const [a] = bridgedCall();
      const { r, lines } = await g.traced(HANGUP, { input: { id: g.cid(a) } });
      expect(r.errors).toBeUndefined();
      expect(r.data).toEqual({ hangupChannel: { hungUpChannelId: g.cid(a) } });
      expect(lines).toEqual([`POST ${chan(a)}`]);
      await waitFor(() => g.sim.callLegs(a).length === 0, 'call ended');
      await waitFor(
        async () =>
          (await g.ok<{ channel: unknown }>('query($id: ID!) { channel(id: $id) { id } }', { id: g.cid(a) }))
            .channel === null,
        'channel(id) null',
      );
    });

    it('hangs up an ARI channel too, with a reason', async () => {
      const id = await ariChannel();
      expect(await g.ok(HANGUP, { input: { id, reason: 'BUSY' } })).toEqual({ hangupChannel: { hungUpChannelId: id } });
      await waitFor(
        async () =>
          (await g.ok<{ channel: unknown }>('query($id: ID!) { channel(id: $id) { id } }', { id })).channel === null,
        'ARI channel gone',
      );
    });

    it('KAZOO refuses reason and reasonCode with BAD_USER_INPUT, sending nothing', async () => {
      const [a] = bridgedCall();
      for (const extra of [{ reason: 'NORMAL' }, { reasonCode: 16 }]) {
        const { r, lines } = await g.traced(HANGUP, { input: { id: g.cid(a), ...extra } });
        expect(lines).toEqual([]);
        expect(r.data).toBeNull();
        expect(r.errors).toHaveLength(1);
        expect(r.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'input.reason' });
        expect(r.errors![0].message).toBe('backend "kz" (kazoo) hangs up without a reason; omit reason and reasonCode');
      }
      expect(g.sim.callLegs(a)).toHaveLength(2);
    });

    it('a KAZOO call that is gone is NOT_FOUND with the backend named', async () => {
      const r = await g.h.gql(HANGUP, { input: { id: 'kz:no-such-call' } });
      expect(r.errors).toHaveLength(1);
      expect(r.data).toBeNull();
      expect(r.errors![0].message).toBe(`channel no-such-call not found in account ${g.acme.id}`);
      expect(r.errors![0].extensions).toEqual({
        code: 'NOT_FOUND',
        backend: 'kz',
        backendStatus: 503,
        backendMessage: 'datastore timeout',
        inferredFrom: 'KAZOO timed out on the channel and it is absent from the account channel list',
      });
    });
  });

  describe('KAZOO-only actions', () => {
    it('transfer, break, callflow, intercept and metaflow are sent and the channel is re-read', async () => {
      const [a, b] = bridgedCall();
      const id = g.cid(a);
      const { r: res, lines } = await g.traced(
        `mutation($id: ID!, $flow: JSONObject!, $cf: String!, $bob: String!) {
          t: transferChannel(input: { id: $id, target: "2600", type: ATTENDED, leg: BLEG, moh: "media-1" }) { channel { id state otherLeg { id } } }
          b: breakChannel(input: { id: $id }) { channel { id } }
          c: sendChannelToCallflow(input: { id: $id, callflowId: $cf }) { channel { id } }
          i: interceptChannel(input: { id: $id, targetType: USER, targetId: $bob, unbridgedOnly: true }) { channel { id } }
          m: runMetaflow(input: { id: $id, metaflow: $flow }) { channel { id answered } }
        }`,
        {
          id,
          flow: { module: 'say', data: { text: 'hello' }, children: { _: { module: 'hangup' } } },
          cf: 'c'.repeat(32),
          bob: g.user('bob.agent'),
        },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        t: { channel: { id, state: 'UP', otherLeg: { id: g.cid(b) } } },
        b: { channel: { id } },
        c: { channel: { id } },
        i: { channel: { id } },
        m: { channel: { id, answered: true } },
      });
      // Mutations run one after the other: each action, then its re-read (detail GET). The other
      // leg is read at most once (or taken from the live view).
      expect(lines.filter((l) => l === `GET ${chan(b)}`).length).toBeLessThanOrEqual(1);
      expect(lines.filter((l) => l !== `GET ${chan(b)}`)).toEqual([
        `POST ${chan(a)}`,
        `GET ${chan(a)}`,
        `POST ${chan(a)}`,
        `GET ${chan(a)}`,
        `POST ${chan(a)}`,
        `GET ${chan(a)}`,
        `POST ${chan(a)}`,
        `GET ${chan(a)}`,
        `PUT ${chan(a)}`,
        `GET ${chan(a)}`,
      ]);
    });

    it('runMetaflow {module: "hangup"} ends the call', async () => {
      const [a] = bridgedCall();
      await g.ok(
        'mutation($id: ID!) { runMetaflow(input: { id: $id, metaflow: { module: "hangup" } }) { channel { id } } }',
        { id: g.cid(a) },
      );
      await waitFor(() => g.sim.callLegs(a).length === 0, 'call ended by metaflow');
    });

    it('transfer of an unbridged call: KAZOO says 400 and the error carries its validation', async () => {
      const a = g.sim.startCall({ accountId: g.acme.id, destination: '+14155550100' });
      kazooCalls.push(a);
      const r = await g.h.gql(
        'mutation($id: ID!) { transferChannel(input: { id: $id, target: "2600" }) { channel { id } } }',
        { id: g.cid(a) },
      );
      expect(r.data).toBeNull();
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0].path).toEqual(['transferChannel']);
      expect(r.errors![0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        backend: 'kz',
        backendStatus: 400,
        backendMessage: 'validation error',
        validation: [{ field: 'other_leg_call_id', rule: 'required', message: 'Channel is not bridged' }],
      });
      expect(r.errors![0].message).toBe(
        `KAZOO POST ${chan(a)} failed (400): other_leg_call_id: Channel is not bridged`,
      );
    });

    it("arguments are checked before anything is sent (metaflow against KAZOO's rules)", async () => {
      const [a] = bridgedCall();
      const id = g.cid(a);
      const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
        [
          'mutation($id: ID!) { transferChannel(input: { id: $id, target: " " }) { channel { id } } }',
          { id },
          'target',
        ],
        [
          'mutation($id: ID!) { sendChannelToCallflow(input: { id: $id, callflowId: "not-a-callflow" }) { channel { id } } }',
          { id },
          'callflowId',
        ],
        [
          'mutation($id: ID!) { interceptChannel(input: { id: $id, targetType: DEVICE, targetId: "bob" }) { channel { id } } }',
          { id },
          'targetId',
        ],
        ['mutation($id: ID!) { breakChannel(input: { id: $id }) { channel { id } } }', { id: 'no-colon' }, 'input.id'],
      ];
      for (const [q, v, arg] of cases) {
        const { r, lines } = await g.traced(q, v);
        expect(lines).toEqual([]);
        expect(r.errors).toHaveLength(1);
        expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: arg });
      }
      const flows: Array<[unknown, Array<{ field: string; rule: string }>]> = [
        [{ data: { module: 'hangup' } }, [{ field: 'module', rule: 'required' }]],
        [{ module: 7 }, [{ field: 'module', rule: 'type' }]],
        [{ module: 'say', data: 'hi' }, [{ field: 'data', rule: 'type' }]],
        [{ module: 'say', children: { _: { data: {} } } }, [{ field: 'children._.module', rule: 'required' }]],
      ];
      for (const [flow, issues] of flows) {
        const { r, lines } = await g.traced(
          'mutation($id: ID!, $f: JSONObject!) { runMetaflow(input: { id: $id, metaflow: $f }) { channel { id } } }',
          { id, f: flow },
        );
        expect(lines).toEqual([]);
        expect(r.errors).toHaveLength(1);
        expect(r.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
        const found = JSON.stringify(r.errors![0].extensions);
        for (const i of issues) {
          expect(found).toContain(`"field":"${i.field}"`);
          expect(found).toContain(`"rule":"${i.rule}"`);
        }
      }
    });
  });

  describe('actions a backend kind does not have', () => {
    it('ARI-only actions on a KAZOO channel: UNSUPPORTED_OPERATION, nothing sent; capabilities said so', async () => {
      const [a] = bridgedCall();
      const id = g.cid(a);
      const caps = await g.ok<{ channel: { capabilities: string[]; rtpStats: unknown } }>(
        'query($id: ID!) { channel(id: $id) { capabilities rtpStats { txCount } } }',
        { id },
      );
      expect(caps.channel).toEqual({
        capabilities: ['HANGUP', 'TRANSFER', 'BREAK', 'SEND_TO_CALLFLOW', 'INTERCEPT', 'RUN_METAFLOW'],
        rtpStats: null,
      });
      const cases: Array<[string, string]> = [
        ['answerChannel', 'mutation($id: ID!) { answerChannel(input: { id: $id }) { channel { id } } }'],
        ['holdChannel', 'mutation($id: ID!) { holdChannel(input: { id: $id }) { channel { id } } }'],
        ['muteChannel', 'mutation($id: ID!) { muteChannel(input: { id: $id }) { channel { id } } }'],
        ['sendDtmf', 'mutation($id: ID!) { sendDtmf(input: { id: $id, dtmf: "1" }) { channel { id } } }'],
        ['continueInDialplan', 'mutation($id: ID!) { continueInDialplan(input: { id: $id }) { channel { id } } }'],
        [
          'playMedia',
          'mutation($id: ID!) { playMedia(input: { id: $id, media: ["sound:hello"] }) { playback { id } } }',
        ],
      ];
      for (const [operation, q] of cases) {
        const { r, lines } = await g.traced(q, { id });
        expect(lines).toEqual([]);
        expect(r.errors).toHaveLength(1);
        expect(r.errors![0].extensions).toEqual({
          code: 'UNSUPPORTED_OPERATION',
          backend: 'kz',
          backendKind: 'kazoo',
          operation,
        });
      }
      const { r: v, lines } = await g.traced('query($id: ID!) { channel(id: $id) { id variable(name: "FOO") } }', {
        id,
      });
      // A field one kind lacks is null on the other, never an error (mixed lists stay whole).
      expect(v).toEqual({ status: 200, data: { channel: { id, variable: null } } });
      // At most the channel read itself (or the live view); the variable never reaches KAZOO.
      expect(lines.filter((l) => l !== `GET ${chan(a)}`)).toEqual([]);
    });

    it('KAZOO-only actions on an ARI channel: UNSUPPORTED_OPERATION, nothing sent; capabilities said so', async () => {
      const id = await ariChannel();
      await waitFor(
        async () =>
          (
            await g.ok<{ channel: { capabilities: string[] } }>(
              'query($id: ID!) { channel(id: $id) { capabilities } }',
              { id },
            )
          ).channel.capabilities.includes('ANSWER'),
        'in Stasis',
      );
      const caps = (
        await g.ok<{ channel: { capabilities: string[] } }>('query($id: ID!) { channel(id: $id) { capabilities } }', {
          id,
        })
      ).channel.capabilities;
      for (const k of ['TRANSFER', 'BREAK', 'SEND_TO_CALLFLOW', 'INTERCEPT', 'RUN_METAFLOW'])
        expect(caps).not.toContain(k);
      const sim = g.h.sims[0];
      sim.resetRequestLog();
      const cases: Array<[string, string, Record<string, unknown>]> = [
        [
          'transferChannel',
          'mutation($id: ID!) { transferChannel(input: { id: $id, target: "2600" }) { channel { id } } }',
          {},
        ],
        ['breakChannel', 'mutation($id: ID!) { breakChannel(input: { id: $id }) { channel { id } } }', {}],
        [
          'sendChannelToCallflow',
          'mutation($id: ID!, $cf: String!) { sendChannelToCallflow(input: { id: $id, callflowId: $cf }) { channel { id } } }',
          { cf: 'c'.repeat(32) },
        ],
        [
          'interceptChannel',
          'mutation($id: ID!, $t: String!) { interceptChannel(input: { id: $id, targetType: USER, targetId: $t }) { channel { id } } }',
          { t: 'd'.repeat(32) },
        ],
        [
          'runMetaflow',
          'mutation($id: ID!) { runMetaflow(input: { id: $id, metaflow: { module: "hangup" } }) { channel { id } } }',
          {},
        ],
      ];
      for (const [operation, q, v] of cases) {
        const r = await g.h.gql(q, { id, ...v });
        expect(r.errors).toHaveLength(1);
        expect(r.errors![0].extensions).toEqual({
          code: 'UNSUPPORTED_OPERATION',
          backend: 'pbx1',
          backendKind: 'ari',
          operation,
        });
        expect(r.errors![0].message).toBe(
          `${operation} is not available on backend "pbx1" (kind ari); it needs a kazoo backend`,
        );
      }
      // Nothing but reads (the gateway's own resyncs may GET) reached Asterisk.
      expect(sim.requests.filter((x) => x.method !== 'GET')).toEqual([]);
      await g.ok(HANGUP, { input: { id } });
    });
  });
}
