/**
 * Two tenants behind one real gateway, for the access tests (issue 5).
 *
 * Tenant A: KAZOO account "Acme" (backend `kz`, its own api key and Blackhole) plus the ARI
 * backend `pbx1`. Tenant B: KAZOO account "Globex" — a child of Acme, so A's KAZOO backend could
 * technically reach it and only patchbay's scope keeps it out — served by backend `kzb`, plus
 * ARI backend `pbx2`. Every key under test is scoped to A; B's objects are the ones A must never
 * see. `bSecrets()` lists every string that would betray B (ids, names, numbers).
 */
import type { Role } from '../../../src/auth/principal';
import {
  addRecipientAccount,
  defaultSeed,
  startKazooSimulator,
  type KazooSimulator,
  type WorldAccount,
} from '../../../src/simulators/kazoo';
import type { SecurityConfig } from '../../../src/config';
import { startHarness, waitFor, type GraphQLResponse, type Harness } from '../../helpers/gateway-harness';
import { kazooConfig, testKazooBackend } from '../gateway-kazoo/kazoo-gateway';

export const ROLES_UNDER_TEST: readonly Role[] = ['ADMIN', 'SUPERVISOR', 'AGENT', 'VIEWER'];
export const B_NAME = 'Globex Tenant B';
export const B_CALLER = { name: 'Globex Caller', number: '+15550009999' };
export const A_CALLER = { name: 'Acme Caller', number: '+15550001111' };

/** One tenant's objects: ids in patchbay's global form. */
export interface TenantObjects {
  accountId: string;
  ari: string;
  kazoo: string;
  /** An ARI channel in Stasis and a KAZOO call (global ids). */
  ariChannel: string;
  kazooCall: string;
  /** Both legs' native call-ids of the KAZOO call (for leak checks). */
  kazooLegs: string[];
  playback: string;
  /** Recipients: the AGENT key's own one (A) / any agent (B), a second agent and a supervisor-ish user. */
  agent: string;
  otherAgent: string;
  queueId: string;
  userIds: string[];
  deviceIds: string[];
  session: string;
}

export interface Tenants {
  h: Harness;
  sim: KazooSimulator;
  acme: WorldAccount;
  globex: WorldAccount;
  a: TenantObjects;
  b: TenantObjects;
  /** Keys scoped to tenant A, by role (the AGENT acts as `a.agent`). */
  keys: Record<Role, string>;
  /** Runs a query with a key (null: no Authorization header at all). */
  as<D = Record<string, any>>(
    key: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<D>>;
  /** The root admin's query; fails the test on errors. */
  ok<D = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<D>;
  /** A fresh ARI channel in Stasis on a tenant's backend (global id). */
  freshAriChannel(t: TenantObjects): Promise<string>;
  /** A fresh KAZOO call of a tenant's account, known to the gateway (global id of the A-leg). */
  freshKazooCall(t: TenantObjects): Promise<string>;
  /** Strings that betray tenant B: ids, names, numbers. None may reach an A key. */
  bSecrets(): string[];
  close(): Promise<void>;
}

const CHANNEL_QUERY = 'query($id: ID!) { channel(id: $id) { id capabilities } }';

export async function startTenants(o: { security?: Partial<SecurityConfig> } = {}): Promise<Tenants> {
  const seed = defaultSeed();
  const acmeId = seed.accounts.find((a) => !a.superduperAdmin)!.id;
  const globexSeed = addRecipientAccount(seed, { name: B_NAME, count: 3, parentId: acmeId, initialState: 'Ready' });
  const sim = await startKazooSimulator({
    seed,
    timing: { channelLookupTimeoutMs: 20, actionEffectMs: 10, wrapupMs: 60_000 },
  });
  const acme = sim.world.accounts.find((x) => x.id === acmeId)!;
  const globex = sim.world.accounts.find((x) => x.id === globexSeed.accountId)!;
  const kz = testKazooBackend(kazooConfig(sim, acme, { name: 'kz' }));
  const kzb = testKazooBackend(kazooConfig(sim, globex, { name: 'kzb' }));
  let h: Harness;
  try {
    h = await startHarness({ simulators: 2, extraBackends: [kz, kzb], security: o.security });
  } catch (e) {
    await Promise.allSettled([kz.stop(), kzb.stop(), sim.close()]);
    throw e;
  }
  await waitFor(() => kz.health().connected && kzb.health().connected, 'Blackhole subscribed (kz, kzb)');

  const gql = async <D>(
    key: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<D>> => {
    if (key !== null) return h.gql<D>(query, variables, { authorization: `Bearer ${key}` });
    const res = await fetch(h.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { ...((await res.json()) as GraphQLResponse<D>), status: res.status };
  };
  const ok = async <D>(query: string, variables?: Record<string, unknown>): Promise<D> => {
    const r = await h.gql<D>(query, variables);
    if (r.errors || r.status !== 200) throw new Error(`GraphQL failed (${r.status}): ${JSON.stringify(r.errors)}`);
    return r.data as D;
  };

  let channelSeq = 0;
  /** Both ARI simulators number channels alike: named ids keep B's apart from A's. */
  async function freshAriChannel(t: TenantObjects): Promise<string> {
    const channelId = `${t.ari === 'pbx2' ? 'globex' : 'acme'}-chan-${++channelSeq}`;
    const made = await ok<{ originate: { channel: { id: string } } }>(
      'mutation($b: String!, $c: String!) { originate(input: { backend: $b, endpoint: "Local/wait@ari-test", app: "patchbay", channelId: $c }) { channel { id } } }',
      { b: t.ari, c: channelId },
    );
    const id = made.originate.channel.id;
    if (t.ari === 'pbx2') bNative.add(id.slice('pbx2:'.length));
    await waitFor(
      async () =>
        (
          await ok<{ channel: { capabilities: string[] } | null }>(CHANNEL_QUERY, { id })
        ).channel?.capabilities.includes('ANSWER'),
      `${id} in Stasis and Up`,
    );
    return id;
  }
  /** Native ids of everything made for tenant B (ARI channels, KAZOO legs). */
  const bNative = new Set<string>();
  async function freshKazooCall(t: TenantObjects): Promise<string> {
    const caller = t.accountId === acme.id ? A_CALLER : B_CALLER;
    const callId = sim.startCall({
      accountId: t.accountId,
      destination: '3',
      callerIdName: caller.name,
      callerIdNumber: caller.number,
    });
    if (t.accountId !== acme.id) for (const leg of sim.callLegs(callId)) bNative.add(leg);
    const id = `${t.kazoo}:${callId}`;
    await waitFor(async () => (await ok<{ channel: unknown }>(CHANNEL_QUERY, { id })).channel, `${id} known`);
    return id;
  }

  async function objects(account: WorldAccount, ari: string, kazoo: string): Promise<TenantObjects> {
    const recipients = sim.world.recipients.filter((r) => r.accountId === account.id);
    const agent = account.id === acme.id ? recipients.find((r) => r.username === 'alice.agent')! : recipients[0];
    const otherAgent = recipients.find((r) => r.id !== agent.id)!;
    const t: TenantObjects = {
      accountId: account.id,
      ari,
      kazoo,
      ariChannel: '',
      kazooCall: '',
      kazooLegs: [],
      playback: '',
      agent: `${kazoo}:${account.id}/${agent.id}`,
      otherAgent: `${kazoo}:${account.id}/${otherAgent.id}`,
      queueId: sim.world.queues.find((q) => q.accountId === account.id)!.id,
      userIds: sim.world.users.filter((u) => u.accountId === account.id).map((u) => u.id),
      deviceIds: sim.world.devices.filter((d) => d.accountId === account.id).map((d) => d.id),
      session: '',
    };
    t.ariChannel = await freshAriChannel(t);
    t.kazooCall = await freshKazooCall(t);
    t.kazooLegs = sim.callLegs(t.kazooCall.slice(kazoo.length + 1));
    const played = await ok<{ playMedia: { playback: { id: string } } }>(
      'mutation($id: ID!) { playMedia(input: { id: $id, media: ["sound:demo-congrats"] }) { playback { id } } }',
      { id: t.ariChannel },
    );
    t.playback = played.playMedia.playback.id;
    const sessions = await ok<{ websocketSessions: Array<{ id: string }> }>(
      'query($a: String!, $b: String!) { websocketSessions(accountId: $a, backend: $b) { id } }',
      { a: account.id, b: kazoo },
    );
    t.session = sessions.websocketSessions[0].id;
    return t;
  }

  try {
    const a = await objects(acme, 'pbx1', 'kz');
    const b = await objects(globex, 'pbx2', 'kzb');
    const scopeA = { accountIds: [acme.id], backends: ['pbx1'] };
    const keys: Record<Role, string> = {
      ADMIN: await h.keyFor('ADMIN', scopeA),
      SUPERVISOR: await h.keyFor('SUPERVISOR', scopeA),
      AGENT: await h.keyFor('AGENT', scopeA, a.agent),
      VIEWER: await h.keyFor('VIEWER', scopeA),
    };
    const bUsers = sim.world.users.filter((u) => u.accountId === globex.id);
    return {
      h,
      sim,
      acme,
      globex,
      a,
      b,
      keys,
      as: gql,
      ok,
      freshAriChannel,
      freshKazooCall,
      bSecrets: () => {
        return [
          globex.id,
          globex.name,
          globex.apiKey,
          B_CALLER.name,
          B_CALLER.number,
          b.session.split('/')[1],
          ...bUsers.flatMap((u) => [u.id, u.username, `${u.firstName} ${u.lastName}`]),
          ...b.deviceIds,
          b.queueId,
          ...bNative,
        ];
      },
      close: async () => {
        await h.close();
        await sim.close();
      },
    };
  } catch (e) {
    await h.close();
    await sim.close();
    throw e;
  }
}
