/**
 * The call the fuzz must not disturb: an originated, answered channel with a channelEvents
 * subscription on a socket of its own. Probes (a channel variable set through the gateway)
 * produce events the subscriber must keep receiving while the fuzz runs and after it.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from '../../helpers/wait-for';

export interface ProtectedCall {
  id: string;
  nativeId: string;
  events: Array<{ __typename: string; name?: string; value?: string }>;
  errors: unknown[];
  completed: boolean;
  /** Sets a variable on the call; resolves when its VariableSet event reached the subscriber. */
  probe(timeoutMs?: number): Promise<void>;
  state(): Promise<string | null>;
  close(): Promise<void>;
}

async function gql(url: string, key: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (res.status !== 200 || body.errors)
    throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

export async function startProtectedCall(url: string, key: string): Promise<ProtectedCall> {
  const made = await gql(
    url,
    key,
    'mutation($input: OriginateInput!) { originate(input: $input) { channel { id nativeId } } }',
    { input: { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay' } },
  );
  const { id, nativeId } = made.originate.channel as { id: string; nativeId: string };
  const state = async (): Promise<string | null> =>
    (await gql(url, key, 'query($id: ID!) { channel(id: $id) { state } }', { id })).channel?.state ?? null;
  await waitFor(async () => (await state()) === 'UP', `${id} UP`, { timeoutMs: 10_000, everyMs: 20 });

  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${key}` },
  });
  const call: ProtectedCall = {
    id,
    nativeId,
    events: [],
    errors: [],
    completed: false,
    state,
    async probe(timeoutMs = 10_000) {
      const value = `probe-${call.events.length}-${Date.now()}`;
      await gql(
        url,
        key,
        'mutation($input: SetChannelVariableInput!) { setChannelVariable(input: $input) { channel { id } } }',
        { input: { id, name: 'FUZZ_PROBE', value } },
      );
      await waitFor(
        () => call.events.some((e) => e.value === value) || call.errors.length > 0 || call.completed,
        `the probe's VariableSet event (${value})`,
        timeoutMs,
      );
      if (call.errors.length || call.completed)
        throw new Error(`the protected call's subscription ended: ${JSON.stringify(call.errors)}`);
    },
    async close() {
      dispose();
      await client.dispose();
    },
  };
  const dispose = client.subscribe<{ channelEvents: ProtectedCall['events'][number] }>(
    {
      query:
        'subscription($id: ID!) { channelEvents(filter: { channelId: $id }) { __typename ... on VariableSet { name value } } }',
      variables: { id },
    },
    {
      next: (v) => {
        if (v.errors) call.errors.push(...v.errors);
        if (v.data) call.events.push(v.data.channelEvents);
      },
      error: (e) => call.errors.push(e instanceof Error ? e.message : e),
      complete: () => {
        call.completed = true;
      },
    },
  );
  // The subscription is live once a probe comes through; probes sent before the server has
  // subscribed are not replayed (live only), so the first ones may go unseen.
  for (let attempt = 1; ; attempt++) {
    try {
      await call.probe(1500);
      break;
    } catch (e) {
      if (attempt >= 6) throw e;
    }
  }
  // The live view shows the call UP as soon as ingest has applied its events; journaling and
  // dispatching them can still be under way (a loaded machine), so the subscriber may have got
  // the call's own setup events. They come before the first probe's event (one backend's events
  // are dispatched in order) and say nothing about the fuzz: only what follows is watched.
  call.events.splice(0);
  return call;
}
