/** GraphQL steps shared by the gateway integration tests. */
import { waitFor, type Harness } from './gateway-harness';

export const CHANNEL_FIELDS = `id nativeId name state rawState caller { name number } connected { name number }
  accountCode dialplan { context exten priority appName appData } createdAt language protocolId
  reportedVariables backend { name kind } capabilities`;

/** The channel originate created, with its payload's actionCursor copied beside its fields. */
export async function originate(h: Harness, input: Record<string, unknown>): Promise<any> {
  const r = await h.gql(
    `mutation($input: OriginateInput!) { originate(input: $input) { channel { ${CHANNEL_FIELDS} } actionCursor } }`,
    { input },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return { ...r.data!.originate.channel, actionCursor: r.data!.originate.actionCursor };
}

export async function capabilitiesOf(h: Harness, id: string): Promise<string[] | null> {
  const r = await h.gql('query($id: ID!) { channel(id: $id) { capabilities } }', { id });
  return r.data?.channel?.capabilities ?? null;
}

/** An answered Local channel inside the Stasis app (the capture's R4 scenario). */
export async function stasisChannel(h: Harness, backend = 'pbx1', endpoint = 'Local/wait@ari-test'): Promise<string> {
  const ch = await originate(h, { backend, endpoint, app: 'patchbay' });
  await waitFor(async () => (await capabilitiesOf(h, ch.id))?.includes('ANSWER'), `${ch.id} in Stasis and Up`);
  return ch.id as string;
}

/** A channel running dialplan, never in Stasis. */
export async function dialplanChannel(h: Harness, backend = 'pbx1'): Promise<string> {
  const ch = await originate(h, {
    backend,
    endpoint: 'Local/wait@ari-test',
    extension: 'wait',
    context: 'ari-test',
    priority: 1,
  });
  return ch.id as string;
}

/** A created (Down) channel inside Stasis. */
export async function downStasisChannel(h: Harness, backend = 'pbx1'): Promise<string> {
  const r = await h.gql(
    'mutation($input: CreateChannelInput!) { createChannel(input: $input) { channel { id state } } }',
    {
      input: { backend, endpoint: 'PJSIP/alice', app: 'patchbay' },
    },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  const id = r.data!.createChannel.channel.id as string;
  await waitFor(async () => (await capabilitiesOf(h, id))?.includes('DIAL'), `${id} in Stasis`);
  return id;
}

export function firstError(r: { errors?: Array<{ extensions?: Record<string, any>; message: string }> }) {
  expect(r.errors).toBeDefined();
  return r.errors![0];
}
