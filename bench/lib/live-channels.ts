/** Puts N channels on the ARI (originate into the Stasis app) and waits for the gateway to see them. */
import type { AriRest } from './ari-rest';
import { gql, waitUntil, type GatewayTarget } from './gql';

const BATCH = 10;

export async function originateMany(rest: AriRest, endpoint: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, n - i) }, () => rest.originate(endpoint)));
    ids.push(...batch);
  }
  return ids;
}

export async function hangupAll(rest: AriRest, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) await Promise.all(ids.slice(i, i + BATCH).map((id) => rest.hangup(id)));
}

/** Until every id is listed by the gateway as `pbx1:<id>` (and, with `settled`, none is still DOWN/RINGING). */
export async function waitForGateway(gw: GatewayTarget, ids: string[], settled = true): Promise<void> {
  const want = new Set(ids.map((id) => `pbx1:${id}`));
  await waitUntil(
    async () => {
      const d = await gql<{ channels: Array<{ id: string; state: string }> }>(
        gw,
        '{ channels(filter: { backend: "pbx1" }) { id state } }',
      );
      const seen = d.channels.filter((c) => want.has(c.id));
      return seen.length === want.size && (!settled || seen.every((c) => c.state === 'UP'));
    },
    `the gateway to list ${ids.length} channels`,
    30_000,
    100,
  );
}
