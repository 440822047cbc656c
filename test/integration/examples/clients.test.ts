/**
 * Runs examples/apollo-client.ts and examples/urql.ts as a user would (a child process with
 * GATEWAY_URL and API_KEY) against a started gateway, and checks what they did against the
 * gateway itself: no warning from the client library, the query and mutation results, and a
 * subscription that resumed after a forced disconnect with exactly the events history holds.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startHarness, type Harness } from '../../helpers/gateway-harness';
import { TS_CHILD_ARGS } from '../../helpers/ts-child';

const ROOT = join(__dirname, '..', '..', '..');
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function runExample(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TS_CHILD_ARGS, join(ROOT, 'examples', file)],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '', GATEWAY_URL: h.gateway.url, API_KEY: h.adminKey },
        timeout: 60_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Channel-event cursors after `after` (inclusive of `until`), read by the test itself. */
async function history(after: string, until: string): Promise<string[]> {
  const r = await h.gql(
    'query($a: String) { events(after: $a, filter: { backend: "pbx1" }, first: 500) { edges { cursor node { __typename ... on ChannelEvent { channelId } } } } }',
    { a: after },
  );
  expect(r.errors).toBeUndefined();
  const cursors = (r.data!.events.edges as Array<{ cursor: string; node: { __typename: string; channelId?: string } }>)
    .filter((e) => e.node.channelId !== undefined && e.node.__typename !== 'ResyncRequired')
    .map((e) => e.cursor);
  return cursors.slice(0, cursors.indexOf(until) + 1);
}

describe.each(['apollo-client.ts', 'urql.ts'])('examples/%s', (file) => {
  it('query, mutation and a subscription resumed after a forced disconnect with no gap, and no warning', async () => {
    const run = await runExample(file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(summary.backend).toBe('pbx1');
    expect(summary.query.backends).toBe(1);
    // Both originated channels exist on the gateway.
    for (const id of [summary.mutation.first, summary.mutation.second]) {
      const r = await h.gql('query($id: ID!) { channel(id: $id) { id } }', { id });
      expect(r.data!.channel).toEqual({ id });
    }
    const s = summary.subscription;
    expect(s.connections).toBeGreaterThanOrEqual(2);
    expect(s.beforeDisconnect).toBeGreaterThan(0);
    expect(s.cursors.length).toBeGreaterThan(s.beforeDisconnect);
    expect(new Set(s.cursors).size).toBe(s.cursors.length);
    expect(s.cursors).toEqual(await history(s.after, s.cursors[s.cursors.length - 1]));
  }, 90_000);
});
