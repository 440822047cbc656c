/**
 * A gateway's journal appends carry the ingest lease's fence all the way to the database: an
 * append under a lease another instance holds writes nothing (src/gateway.ts wraps the journal's
 * append for metrics, and that wrapper once dropped the fence).
 */
import { FencedAppendError } from '../../../src/events/journal/journal';
import { startHarness, waitFor, type Harness } from '../../helpers/gateway-harness';
import { tinyEvent } from '../events-store/event-fixtures';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ simulators: 1 });
  await waitFor(() => h.gateway.events.ingestStatus('pbx1')?.leader, 'pbx1 lease held');
}, 120_000);
afterAll(() => h?.close());

async function journaledFor(channelId: string): Promise<number> {
  const [row] = await h.gateway.database.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM event_journal WHERE channel_id = $1',
    [channelId],
  );
  return row.n;
}

it('refuses an append fenced by a lease it does not hold; takes one under its own', async () => {
  const journal = h.gateway.events.journal;
  await expect(journal.append([tinyEvent(0)], { backend: 'pbx1', owner: 'another-instance' })).rejects.toBeInstanceOf(
    FencedAppendError,
  );
  expect(await journaledFor('ch-0')).toBe(0);

  const own = { backend: 'pbx1', owner: h.gateway.events.instanceId };
  const [appended] = await journal.append([tinyEvent(2)], own);
  expect(appended.cursor).toMatch(/^[1-9][0-9]*$/);
  expect(await journaledFor('ch-2')).toBe(1);
});
