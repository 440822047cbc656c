/**
 * A `channels` list that mixes ARI and KAZOO channels never fails for what one backend kind
 * lacks: every field of Channel (built from introspection, so new fields are covered too) over
 * healthy simulators answers every channel with no `errors`; a per-item backend failure nulls
 * that item's field with one error at its path, never the list.
 */
import {
  getIntrospectionQuery,
  type IntrospectionObjectType,
  type IntrospectionQuery,
  type IntrospectionTypeRef,
} from 'graphql';
import { stasisChannel } from '../../helpers/channels';
import { waitFor } from '../../helpers/gateway-harness';
import { startKazooGateway, type KazooGateway } from './kazoo-gateway';

/** Argument values for Channel fields that take required arguments. */
const ARGUMENTS: Record<string, string> = {
  variable: '(name: "CHANNEL(name)")',
  variables: '(names: ["CHANNEL(name)", "UNIQUEID"])',
};

function named(t: IntrospectionTypeRef): string {
  return 'ofType' in t && t.ofType ? named(t.ofType) : (t as { name: string }).name;
}

/** Every field of a type: objects to `depth` levels, then only their scalars and enums. */
function selectAll(types: Map<string, IntrospectionObjectType>, typeName: string, depth: number): string {
  const t = types.get(typeName)!;
  const parts: string[] = ['__typename'];
  for (const f of t.fields) {
    const required = f.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);
    if (required.length && !(typeName === 'Channel' && ARGUMENTS[f.name])) {
      throw new Error(`${typeName}.${f.name} takes required arguments: add them to ARGUMENTS`);
    }
    const args = typeName === 'Channel' ? (ARGUMENTS[f.name] ?? '') : '';
    const inner = named(f.type);
    if (types.has(inner)) {
      if (depth > 0) parts.push(`${f.name}${args} { ${selectAll(types, inner, depth - 1)} }`);
    } else {
      parts.push(`${f.name}${args}`);
    }
  }
  return parts.join(' ');
}

let g: KazooGateway;
let everyField: string;
let ariId: string;
let kazooIds: string[];

beforeAll(async () => {
  g = await startKazooGateway({ ari: true });
  const intro = await g.ok<IntrospectionQuery>(getIntrospectionQuery());
  const objects = intro.__schema.types.filter((t): t is IntrospectionObjectType => t.kind === 'OBJECT');
  everyField = selectAll(new Map(objects.map((t) => [t.name, t])), 'Channel', 2);
  ariId = await stasisChannel(g.h, 'pbx1', 'PJSIP/alice');
  const aLeg = g.sim.startCall({
    accountId: g.acme.id,
    fromUserId: g.user('olivia.owner'),
    toUserId: g.user('alice.agent'),
  });
  kazooIds = [aLeg, ...g.sim.callLegs(aLeg).filter((l) => l !== aLeg)].map((id) => g.cid(id));
}, 120_000);
afterAll(() => g?.close());

type Listed = { channels: Array<Record<string, any>> | null };

async function listAll(selection: string): Promise<{ data: Listed; errors: unknown[] | undefined }> {
  const expected = [ariId, ...kazooIds].sort();
  let last: { data: Listed; errors: unknown[] | undefined } | undefined;
  // The event-fed live view sees a new call a moment after the simulator starts it.
  await waitFor(
    async () => {
      const r = await g.h.gql<Listed>(`{ channels { ${selection} } }`);
      last = { data: r.data as Listed, errors: r.errors };
      const ids = (r.data?.channels ?? []).map((c) => c.id as string).sort();
      return JSON.stringify(ids) === JSON.stringify(expected);
    },
    'both kinds listed',
    5000,
  ).catch(() => undefined);
  return last!;
}

it('every Channel field over ARI and KAZOO channels: every channel, no errors', async () => {
  expect(everyField).toContain('variables(names:');
  const { data, errors } = await listAll(everyField);
  expect(errors).toBeUndefined();
  const byId = new Map(data.channels!.map((c) => [c.id as string, c]));
  expect([...byId.keys()].sort()).toEqual([ariId, ...kazooIds].sort());

  const ari = byId.get(ariId)!;
  expect(ari.variable).toMatch(/^PJSIP\/alice-/);
  expect(ari.variables).toEqual({ 'CHANNEL(name)': ari.name, UNIQUEID: ari.nativeId });
  expect(ari.rtpStats).toEqual(expect.objectContaining({ txCount: expect.any(Number) }));
  expect([ari.accountId, ari.direction, ari.answered, ari.callee]).toEqual([null, null, null, null]);

  for (const id of kazooIds) {
    const k = byId.get(id)!;
    // ARI-only fields are null on KAZOO channels; KAZOO-only ones are filled.
    expect([k.variable, k.variables, k.rtpStats, k.dialplan]).toEqual([null, null, null, null]);
    expect(k.accountId).toBe(g.acme.id);
    expect(typeof k.direction).toBe('string');
  }
});

it('a failed per-item read nulls that field of that item with one error at its path', async () => {
  const { data, errors } = await listAll('id variables(names: ["NO_SUCH_VARIABLE"])');
  const index = data.channels!.findIndex((c) => c.id === ariId);
  expect(data.channels).toHaveLength(1 + kazooIds.length);
  expect(data.channels![index].variables).toBeNull();
  for (const c of data.channels!) expect(c.variables).toBeNull();
  expect(errors).toEqual([
    expect.objectContaining({
      path: ['channels', index, 'variables'],
      extensions: expect.objectContaining({ code: 'NOT_FOUND', backend: 'pbx1' }),
    }),
  ]);
});

it('node(id:) fetches every kind of entity by the id it gave; unknown ids are null', async () => {
  // A long playlist, so the playback still exists when node() asks for it.
  const media = Array.from({ length: 20 }, () => 'sound:demo-congrats');
  const play = await g.ok<{ playMedia: { playback: { id: string } } }>(
    'mutation($id: ID!, $m: [String!]!) { playMedia(input: { id: $id, media: $m }) { playback { id } } }',
    { id: ariId, m: media },
  );
  const recipientId = g.rid('alice.agent');
  const ids: Array<[string, string]> = [
    [play.playMedia.playback.id, 'Playback'],
    [ariId, 'Channel'],
    [kazooIds[0], 'Channel'],
    ['pbx1', 'Backend'],
    ['kz', 'Backend'],
    [recipientId, 'Recipient'],
  ];
  for (const [id, type] of ids) {
    const r = await g.ok<{ node: { __typename: string; id: string } | null }>(
      'query($id: ID!) { node(id: $id) { __typename id } }',
      { id },
    );
    expect({ id, node: r.node }).toEqual({ id, node: { __typename: type, id } });
  }
  for (const id of ['nope', 'pbx1:no-such-channel', `kz:${g.acme.id}/${'0'.repeat(32)}`]) {
    const r = await g.ok<{ node: unknown }>('query($id: ID!) { node(id: $id) { id } }', { id });
    expect({ id, node: r.node }).toEqual({ id, node: null });
  }
});
