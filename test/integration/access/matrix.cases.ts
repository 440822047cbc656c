/**
 * The matrix role × root field × tenant (own / other), plus no key at all. Root fields come
 * from the schema the server runs, so a new field without a row in FIELD_CASES fails here.
 */
import { getSchema } from '../../../src/graphql/schema';
import type { Role } from '../../../src/auth/principal';
import { expectHidden, expectNoLeak, refusal, wsSubscribe } from './checks';
import { FIELD_CASES, type FieldCase, type OwnCtx } from './field-cases';
import { ROLES_UNDER_TEST, type Tenants } from './tenants';
import { makeEvents, type Sentinels } from './event-fixture';
import { waitFor, type Harness } from '../../helpers/gateway-harness';
import { stasisChannel } from '../../helpers/channels';

let t: Tenants;
let sentinels: Sentinels;

const byType = (type: FieldCase['type']) => FIELD_CASES.filter((c) => c.type === type);
const leaks = () => [...t.bSecrets(), ...sentinels.bStrings];

async function ownCtx(role: Role, c: FieldCase, shared: OwnCtx): Promise<OwnCtx> {
  if (!c.fresh || !c.allow.includes(role)) return shared;
  if (c.fresh === 'ari') return { ...shared, ariChannel: await t.freshAriChannel(t.a) };
  return { ...shared, kazooCall: await t.freshKazooCall(t.a) };
}

async function sharedCtx(role: Role): Promise<OwnCtx> {
  const ariChannel = await t.freshAriChannel(t.a);
  const kazooCall = await t.freshKazooCall(t.a);
  const played = await t.ok<{ playMedia: { playback: { id: string } } }>(
    'mutation($id: ID!) { playMedia(input: { id: $id, media: ["sound:demo-congrats"] }) { playback { id } } }',
    { id: ariChannel },
  );
  return { t, a: t.a, role, ariChannel, kazooCall, playback: played.playMedia.playback.id, agent: t.a.agent };
}

/** Non-GET traffic that reached B on the simulators (side effects of refused calls would show here). */
function bWrites(): string[] {
  const secrets = leaks();
  const kazoo = t.sim.requests
    .filter((r) => r.method !== 'GET' && secrets.some((s) => r.path.includes(s)))
    .map((r) => `${r.method} ${r.path}`);
  const ari = t.h.sims[1].requests.filter((r) => r.method !== 'GET').map((r) => `pbx2 ${r.method} ${r.path}`);
  return [...kazoo, ...ari];
}

export function matrixCases(tenants: () => Tenants): void {
  beforeAll(async () => {
    t = tenants();
    sentinels = await makeEvents(t);
  });

  it('every root field of the schema has a row in the table (and no row names a missing field)', async () => {
    const schema = await getSchema();
    for (const type of ['Query', 'Mutation', 'Subscription'] as const) {
      const fields = Object.keys(schema.getRootType(type.toLowerCase() as never)!.getFields()).sort();
      expect(
        byType(type)
          .map((c) => c.field)
          .sort(),
      ).toEqual(fields);
    }
  });

  it('without a key every query and mutation is UNAUTHENTICATED (and touches nothing)', async () => {
    const shared: OwnCtx = {
      t,
      a: t.a,
      role: 'VIEWER',
      ariChannel: t.a.ariChannel,
      kazooCall: t.a.kazooCall,
      playback: t.a.playback,
      agent: t.a.agent,
    };
    for (const c of [...byType('Query'), ...byType('Mutation')]) {
      const op = c.own(shared);
      const r = await t.as(null, op.query, op.variables);
      expect([c.field, r.status, [...new Set(r.errors?.map((e) => e.extensions?.code))]]).toEqual([
        c.field,
        401,
        ['UNAUTHENTICATED'],
      ]);
    }
  });

  describe.each(ROLES_UNDER_TEST)('%s key scoped to tenant A', (role) => {
    it('own tenant: allowed fields answer, the others are FORBIDDEN', async () => {
      const shared = await sharedCtx(role);
      const key = t.keys[role];
      // Fields that end their channel go last, so the shared fixtures live through the rest.
      const cases = [...byType('Query'), ...byType('Mutation')].sort((x, y) => Number(!!x.fresh) - Number(!!y.fresh));
      const outcome: string[] = [];
      for (const c of cases) {
        const ctx = await ownCtx(role, c, shared);
        const op = c.own(ctx);
        const r = await t.as(key, op.query, op.variables);
        expect([c.field, r.status]).toEqual([c.field, 200]);
        expectNoLeak(c.leakScope ? c.leakScope(r, t) : r, leaks(), `${role} ${c.field} (own)`);
        if (c.allow.includes(role)) {
          outcome.push(`${c.field}: ${refusal(r.errors) ?? 'allowed'}`);
          if (!refusal(r.errors) && c.ownCheck) c.ownCheck(r.data!, ctx);
        } else {
          const codes = [...new Set(r.errors?.map((e) => e.extensions?.code))];
          outcome.push(
            `${c.field}: ${JSON.stringify(codes) === '["FORBIDDEN"]' ? 'FORBIDDEN' : JSON.stringify(r.errors)}`,
          );
        }
      }
      expect(outcome).toEqual(cases.map((c) => `${c.field}: ${c.allow.includes(role) ? 'allowed' : 'FORBIDDEN'}`));
    });

    it("other tenant: B's objects are refused or hidden, with nothing of B in the answer and no write to B", async () => {
      const key = t.keys[role];
      const writesBefore = bWrites().length;
      for (const c of [...byType('Query'), ...byType('Mutation')]) {
        for (const [op, hidden] of c.other(t.a, t.b)) {
          const r = await t.as(key, op.query, op.variables);
          const what = `${role} ${c.field}(${JSON.stringify(op.variables ?? {})})`;
          expectNoLeak(r, leaks(), what);
          if (c.allow.includes(role)) expectHidden(r, c.field, hidden, what);
          else expect([what, [...new Set(r.errors?.map((e) => e.extensions?.code))]]).toEqual([what, ['FORBIDDEN']]);
        }
      }
      expect(bWrites().slice(writesBefore)).toEqual([]);
    });

    it('subscriptions: own tenant replays (or FORBIDDEN); B-filtered streams stay empty', async () => {
      const client = t.h.wsClient(t.keys[role]);
      const shared: OwnCtx = { t, a: t.a, role, ariChannel: '', kazooCall: '', playback: '', agent: t.a.agent };
      for (const c of byType('Subscription')) {
        if (c.live) {
          await checkLiveStream(client, c, shared, role);
          continue;
        }
        const own = wsSubscribe(client, c.own(shared));
        const others = c.other(t.a, t.b).map(([op]) => wsSubscribe(client, op));
        const [first] = await own.waitForCount(1);
        if (!c.allow.includes(role)) {
          expect([c.field, (first.errors as any[])?.map((e) => e.extensions?.code)]).toEqual([c.field, ['FORBIDDEN']]);
          for (const o of others)
            expect((await o.waitForCount(1))[0].errors).toEqual([
              expect.objectContaining({ extensions: { code: 'FORBIDDEN' } }),
            ]);
        } else {
          expect(first.errors).toBeUndefined();
          // An unfiltered stream past A's sentinel has been past every B event too.
          const all = wsSubscribe(client, { query: c.own(shared).query, variables: { after: '0' } });
          const sentinel =
            c.field === 'channelEvents'
              ? sentinels.channel
              : c.field === 'agentEvents'
                ? sentinels.agent
                : sentinels.object;
          await waitFor(
            () =>
              all.items.some(
                (i) => (i.data as any)?.[c.field]?.cursor && BigInt((i.data as any)[c.field].cursor) >= sentinel,
              ),
            `${role} ${c.field} sentinel`,
          );
          expectNoLeak(all.items, leaks(), `${role} ${c.field} replay`);
          for (const o of others) expect([c.field, o.items]).toEqual([c.field, []]);
          if (role === 'AGENT') {
            for (const i of all.items) expect((i.data as any).agentEvents.recipientId).toBe(t.a.agent);
          }
          all.dispose();
        }
        own.dispose();
        for (const o of others) o.dispose();
      }
      await client.dispose();
    });
  });
}

/**
 * A stream with no cursor: a role it refuses gets FORBIDDEN at once; a role it allows sees its own
 * tenant's calls rated, and neither its open stream nor one naming B's call carries B's call.
 */
async function checkLiveStream(
  client: ReturnType<Harness['wsClient']>,
  c: FieldCase,
  shared: OwnCtx,
  role: Role,
): Promise<void> {
  if (!c.allow.includes(role)) {
    const refused = wsSubscribe(client, c.own(shared));
    const [first] = await refused.waitForCount(1);
    expect([c.field, (first.errors as any[])?.map((e) => e.extensions?.code)]).toEqual([c.field, ['FORBIDDEN']]);
    refused.dispose();
    return;
  }
  // Tenant fixtures are Local legs (no RTP): one PJSIP call per tenant gives the stream something to rate.
  const [mine, theirs] = await Promise.all([
    stasisChannel(t.h, t.a.ari, 'PJSIP/alice'),
    stasisChannel(t.h, t.b.ari, 'PJSIP/alice'),
  ]);
  const own = wsSubscribe(client, c.own(shared));
  const named = wsSubscribe(client, {
    query:
      'subscription($ids: [ID!]) { channelQuality(filter: { channelIds: $ids }, intervalSeconds: 1) { channelId } }',
    variables: { ids: [theirs] },
  });
  const rated = (id: string) => own.items.filter((i) => (i.data as any)?.[c.field]?.channelId === id).length;
  await waitFor(() => rated(mine) >= 2, `${role} ${c.field} rates ${mine} twice`, 15_000);
  for (const i of own.items) expect(i.errors).toBeUndefined();
  expect([c.field, rated(theirs), named.items]).toEqual([c.field, 0, []]);
  expectNoLeak(own.items, leaks(), `${role} ${c.field}`);
  own.dispose();
  named.dispose();
}
