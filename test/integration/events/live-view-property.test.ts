/**
 * Property: after any sequence of operations (GraphQL mutations and far-end behaviour of the
 * simulator) has settled, the `channels` query — answered from the live view — equals what the
 * simulator itself lists, and answering it makes no backend request while the stream is healthy.
 *
 * Seeded: a failure prints the seed and the operations, and PATCHBAY_PROPERTY_SEED=<seed>
 * replays that sequence alone.
 */
import { startHarness, waitFor, type Harness } from '../../helpers/gateway-harness';
import { prng, quiesce, waitForLiveView } from './event-helpers';

const SEQUENCES = 20;
const OPS_PER_SEQUENCE = 15;
const ENDPOINTS = ['PJSIP/alice', 'PJSIP/bob', 'PJSIP/carol', 'PJSIP/dave'];

type Rng = ReturnType<typeof prng>;

interface Comparable {
  id: string;
  name: string;
  state: string;
  dialplan: { context: string; exten: string; priority: number; appName: string; appData: string };
  caller: { name: string; number: string };
  connected: { name: string; number: string };
}

const CHANNELS_QUERY = `{ channels { nativeId name rawState dialplan { context exten priority appName appData } caller { name number } connected { name number } } }`;

async function viaGateway(h: Harness): Promise<Comparable[]> {
  const r = await h.gql(CHANNELS_QUERY);
  if (r.errors) throw new Error(`channels query failed: ${JSON.stringify(r.errors)}`);
  return (r.data!.channels as any[])
    .map((c) => ({
      id: c.nativeId,
      name: c.name,
      state: c.rawState,
      dialplan: c.dialplan,
      caller: c.caller,
      connected: c.connected,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

async function viaSimulator(h: Harness): Promise<Comparable[]> {
  const res = await fetch(`${h.sims[0].url}/channels`, {
    headers: { authorization: `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}` },
  });
  const list = (await res.json()) as any[];
  return list
    .map((c) => ({
      id: c.id,
      name: c.name,
      state: c.state,
      dialplan: {
        context: c.dialplan.context,
        exten: c.dialplan.exten,
        priority: c.dialplan.priority,
        appName: c.dialplan.app_name,
        appData: c.dialplan.app_data,
      },
      caller: { name: c.caller.name, number: c.caller.number },
      connected: { name: c.connected.name, number: c.connected.number },
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** One random step; returns a description for the failure report. Failures of the step itself are expected. */
async function randomOperation(h: Harness, rng: Rng): Promise<string> {
  const sim = h.sims[0];
  const ids = sim.channelIds();
  const target = ids.length ? rng.pick(ids) : null;
  const gid = target && `pbx1:${target}`;
  const mutate = async (doc: string, variables: Record<string, unknown>) => {
    const r = await h.gql(doc, variables);
    return r.errors ? `error ${r.errors[0].extensions?.code}` : 'ok';
  };
  const hook = (f: () => void) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return `threw ${(e as Error).message}`;
    }
  };
  const choice = rng.int(ids.length ? 17 : 4);
  switch (choice) {
    case 0: {
      const endpoint = rng.pick(['Local/wait@ari-test', 'Local/echo@ari-test', ...ENDPOINTS]);
      return `originate app ${endpoint}: ${await mutate('mutation($i: OriginateInput!) { originate(input: $i) { channel { id } } }', { i: { backend: 'pbx1', endpoint, app: 'patchbay' } })}`;
    }
    case 1: {
      const endpoint = rng.pick(['Local/wait@ari-test', ...ENDPOINTS]);
      const extension = rng.pick(['wait', 'echo']);
      return `originate dialplan ${endpoint} ${extension}: ${await mutate('mutation($i: OriginateInput!) { originate(input: $i) { channel { id } } }', { i: { backend: 'pbx1', endpoint, extension, context: 'ari-test', priority: 1 } })}`;
    }
    case 2: {
      const endpoint = rng.pick(ENDPOINTS);
      const answered = rng.next() < 0.5;
      return `inbound ${endpoint} answered=${answered}: ${hook(() => sim.inboundCall({ endpoint, exten: String(100 + rng.int(900)), app: 'patchbay', answered, callerId: { name: `Caller ${rng.int(10)}`, number: `+1555${rng.int(10_000)}` } }))}`;
    }
    case 3:
      return `createChannel: ${await mutate('mutation($i: CreateChannelInput!) { createChannel(input: $i) { channel { id } } }', { i: { backend: 'pbx1', endpoint: rng.pick(ENDPOINTS), app: 'patchbay' } })}`;
    case 4:
      return `answer ${target}: ${await mutate('mutation($id: ID!) { answerChannel(input: { id: $id }) { channel { id } } }', { id: gid })}`;
    case 5:
      return `hold ${target}: ${await mutate('mutation($id: ID!) { holdChannel(input: { id: $id }) { channel { id } } }', { id: gid })}`;
    case 6:
      return `unhold ${target}: ${await mutate('mutation($id: ID!) { unholdChannel(input: { id: $id }) { channel { id } } }', { id: gid })}`;
    case 7:
      return `dtmf ${target}: ${await mutate('mutation($i: SendDtmfInput!) { sendDtmf(input: $i) { channel { id } } }', { i: { id: gid, dtmf: String(rng.int(10)), durationMs: 20 } })}`;
    case 8:
      return `play ${target}: ${await mutate('mutation($i: PlayMediaInput!) { playMedia(input: $i) { playback { id } } }', { i: { id: gid, media: ['sound:beep'] } })}`;
    case 9:
      return `hangup ${target}: ${await mutate('mutation($i: HangupChannelInput!) { hangupChannel(input: $i) { hungUpChannelId } }', { i: { id: gid } })}`;
    case 10:
      return `ring ${target}: ${await mutate('mutation($id: ID!) { ringChannel(input: { id: $id }) { channel { id } } }', { id: gid })}`;
    case 11:
      return `continue ${target}: ${await mutate('mutation($i: ContinueInDialplanInput!) { continueInDialplan(input: $i) { channel { id } } }', { i: { id: gid, context: 'ari-test', extension: 'wait', priority: 1 } })}`;
    case 12:
      return `farEndHangup ${target}: ${hook(() => sim.farEndHangup(target!, rng.pick([16, 17, 21])))}`;
    case 13:
      return `farEndDtmf ${target}: ${hook(() => sim.farEndDtmf(target!, String(rng.int(10)), 40))}`;
    case 14:
      return `farEndHold ${target}: ${hook(() => sim.farEndHold(target!))}`;
    case 15:
      return `farEndUnhold ${target}: ${hook(() => sim.farEndUnhold(target!))}`;
    default:
      return `farEndAnswer ${target}: ${hook(() => sim.farEndAnswer(target!))}`;
  }
}

function describeDiff(gateway: Comparable[], sim: Comparable[]): string {
  const g = new Map(gateway.map((c) => [c.id, c]));
  const s = new Map(sim.map((c) => [c.id, c]));
  const lines: string[] = [];
  for (const [id, c] of s) if (!g.has(id)) lines.push(`missing in live view: ${JSON.stringify(c)}`);
  for (const [id, c] of g) if (!s.has(id)) lines.push(`not on the backend: ${JSON.stringify(c)}`);
  for (const [id, c] of g) {
    const other = s.get(id);
    if (other && JSON.stringify(other) !== JSON.stringify(c))
      lines.push(`differs ${id}:\n    live view ${JSON.stringify(c)}\n    backend   ${JSON.stringify(other)}`);
  }
  return lines.join('\n  ');
}

/** Waits for the live view to equal the backend; the failure names the seed, the steps and the difference. */
async function expectLiveViewEqualsBackend(h: Harness, seed: number, log: string[]): Promise<Comparable[]> {
  await quiesce(h, 100);
  let last: { g: Comparable[]; s: Comparable[] } = { g: [], s: [] };
  try {
    await waitFor(
      async () => {
        last = { g: await viaGateway(h), s: await viaSimulator(h) };
        return JSON.stringify(last.g) === JSON.stringify(last.s);
      },
      'live view to equal the backend',
      3000,
    );
  } catch {
    throw new Error(
      `live view differs from the backend (seed ${seed}; replay with PATCHBAY_PROPERTY_SEED=${seed})\n  steps:\n    ${log.join('\n    ')}\n  ${describeDiff(last.g, last.s)}`,
    );
  }
  return last.s;
}

describe('live view equals the backend after random operations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await waitForLiveView(h);
  });
  afterAll(() => h?.close());

  const fixed = process.env.PATCHBAY_PROPERTY_SEED;
  const base = fixed ? Number(fixed) : (Date.now() % 1_000_000) * 1000;
  const seeds = fixed ? [Number(fixed)] : Array.from({ length: SEQUENCES }, (_, i) => base + i);

  // One test per sequence: each gets the whole test timeout, and a failure names its seed.
  let nonEmpty = 0;
  it.each(seeds)(`sequence of ${OPS_PER_SEQUENCE} operations, seed %i`, async (seed) => {
    const rng = prng(seed);
    const log: string[] = [];
    for (let i = 0; i < OPS_PER_SEQUENCE; i++) {
      log.push(await randomOperation(h, rng));
      if (rng.next() < 0.3) await new Promise((r) => setTimeout(r, rng.int(30)));
    }
    const listed = await expectLiveViewEqualsBackend(h, seed, log);
    if (listed.length) nonEmpty++;

    // Served from the live view: neither the list nor single channels ask the backend.
    const status = await h.gql('{ backends { name ingest { leader liveView } } }');
    expect({ seed, backends: status.data!.backends }).toEqual({
      seed,
      backends: [{ name: 'pbx1', ingest: { leader: true, liveView: true } }],
    });
    h.sims[0].resetRequestLog();
    const again = await viaGateway(h);
    for (const c of again) {
      const one = await h.gql('query($id: ID!) { channel(id: $id) { nativeId rawState } }', { id: `pbx1:${c.id}` });
      expect(one.data!.channel).toEqual({ nativeId: c.id, rawState: c.state });
    }
    expect({ seed, requests: h.sims[0].requests }).toEqual({ seed, requests: [] });

    // Tear everything down from the far end; the view must follow to empty.
    for (const id of h.sims[0].channelIds()) {
      try {
        h.sims[0].farEndHangup(id);
      } catch {
        // Its peer's hangup took it already.
      }
    }
    log.push('far-end hangup of everything');
    await waitFor(() => h.sims[0].channelIds().length === 0, `seed ${seed}: simulator empty`, 3000);
    expect(await expectLiveViewEqualsBackend(h, seed, log)).toEqual([]);
  });

  it('the sequences built up channels, so the property did not hold vacuously', () => {
    expect(nonEmpty).toBeGreaterThan(seeds.length / 2);
  });
});
