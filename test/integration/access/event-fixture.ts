/**
 * Journal contents for the isolation checks: B's events of every category first, then A's
 * "sentinel" events. A subscriber that has received A's sentinel of a category has been past
 * every B event of that category, so "no B event so far" means "no B event at all".
 */
import type { KazooSimulator, WorldAccount } from '../../../src/simulators/kazoo';
import { waitFor } from '../../helpers/gateway-harness';
import type { Tenants } from './tenants';

export interface Sentinels {
  channel: bigint;
  agent: bigint;
  object: bigint;
  /** Native ids / docs made for B in this round (leak strings). */
  bStrings: string[];
}

async function crossbar(
  sim: KazooSimulator,
  account: WorldAccount,
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  const auth = await fetch(`${sim.crossbarUrl}/api_auth`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { api_key: account.apiKey } }),
  });
  const token = ((await auth.json()) as { auth_token: string }).auth_token;
  const res = await fetch(`${sim.crossbarUrl}${path}`, {
    method,
    headers: { 'x-auth-token': token, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
}

type Edge = {
  cursor: string;
  node: {
    __typename: string;
    accountId?: string | null;
    recipientId?: string | null;
    channelId?: string | null;
    raw: Record<string, any>;
  };
};

/** The root admin's view of the journal, every page. */
async function history(t: Tenants, filter: Record<string, unknown>): Promise<Edge[]> {
  const out: Edge[] = [];
  let after: string | null = null;
  for (;;) {
    const d: { events: { edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await t.ok(
      'query($f: EventFilter, $after: String) { events(first: 100, filter: $f, after: $after) { edges { cursor node { __typename ... on AgentEvent { accountId recipientId } ... on ChannelEvent { accountId channelId } ... on ObjectEvent { accountId } } } pageInfo { hasNextPage endCursor } } }',
      { f: filter, after },
    );
    out.push(...d.events.edges);
    if (!d.events.pageInfo.hasNextPage) return out;
    after = d.events.pageInfo.endCursor;
  }
}

let round = 0;

/** Makes one round of B events then A sentinels, and waits until all are journaled. */
export async function makeEvents(t: Tenants): Promise<Sentinels> {
  round++;
  const { sim, a, b } = t;
  const userOf = (rid: string) => rid.split('/')[1];
  const before = BigInt((await history(t, {})).at(-1)?.cursor ?? '0');
  const newer = (edges: Edge[]) => edges.filter((e) => BigInt(e.cursor) > before);

  // B: agent state changes, a document edit, a KAZOO call and an ARI channel.
  // Logged in first: the matrix may have logged the agents out, and then away/ready say nothing.
  sim.recipientCommand(userOf(b.agent), 'login');
  sim.recipientCommand(userOf(b.agent), 'away');
  sim.recipientCommand(userOf(b.agent), 'ready');
  const bDocName = `GlobexDoc${round}`;
  await crossbar(sim, t.globex, 'POST', `/accounts/${b.accountId}/users/${userOf(b.otherAgent)}`, {
    data: { first_name: bDocName },
  });
  const bCall = await t.freshKazooCall(b);
  const bAri = await t.freshAriChannel(b);
  await waitFor(async () => {
    const e = newer(await history(t, { accountId: b.accountId }));
    const hasAgent = e.some((x) => x.node.recipientId === b.agent);
    const hasObject = e.some((x) => x.node.__typename === 'ObjectChanged');
    const hasCall = e.some((x) => x.node.channelId === bCall);
    return hasAgent && hasObject && hasCall;
  }, 'B events journaled');
  await waitFor(async () => newer(await history(t, { backend: b.ari })).length > 0, 'B ARI events journaled');

  // A sentinels, in the same categories.
  sim.recipientCommand(userOf(a.agent), 'login');
  sim.recipientCommand(userOf(a.agent), 'away');
  sim.recipientCommand(userOf(a.agent), 'ready');
  await crossbar(sim, t.acme, 'POST', `/accounts/${a.accountId}/users/${userOf(a.otherAgent)}`, {
    data: { first_name: `AcmeDoc${round}` },
  });
  const aAri = await t.freshAriChannel(a);
  let s: Omit<Sentinels, 'bStrings'> | undefined;
  let seen = '';
  await waitFor(async () => {
    const e = newer(await history(t, {}));
    const agent = e.filter((x) => x.node.recipientId === a.agent).at(-1);
    // (The events' own accountId field reads null here, so the journal filter picks A's object events.)
    const object = newer(await history(t, { accountId: a.accountId }))
      .filter((x) => x.node.__typename === 'ObjectChanged')
      .at(-1);
    const channel = e.filter((x) => x.node.channelId === aAri).at(-1);
    seen = JSON.stringify({ agent, object, channel, last: e.slice(-5) });
    if (agent && object && channel)
      s = { agent: BigInt(agent.cursor), object: BigInt(object.cursor), channel: BigInt(channel.cursor) };
    return s;
  }, 'A sentinels journaled').catch((err: Error) => {
    throw new Error(`${err.message}: ${seen}`);
  });
  return { ...s!, bStrings: [bDocName, bCall.split(':')[1], bAri.split(':')[1]] };
}
