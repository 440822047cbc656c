/**
 * Tenant isolation beyond the matrix: live streams (no `after`), the AGENT's own-recipient rule,
 * what a scoped ADMIN sees of other tenants' connections, and system-wide KAZOO listing.
 */
import { subscribe, waitFor } from '../../helpers/gateway-harness';
import { expectNoLeak } from './checks';
import { makeEvents } from './event-fixture';
import type { Tenants } from './tenants';

let t: Tenants;
const live = {
  channelEvents: 'subscription { channelEvents { cursor raw ... on ChannelEvent { channelId } } }',
  agentEvents: 'subscription { agentEvents { cursor recipientId raw } }',
  objectEvents: 'subscription { objectEvents { cursor raw ... on ObjectChanged { action } } }',
};

export function isolationCases(tenants: () => Tenants): void {
  beforeAll(() => {
    t = tenants();
  });

  it("live streams without `after`: A's keys receive A's new events and none of B's", async () => {
    const streams: Array<{ who: string; field: keyof typeof live; s: ReturnType<typeof subscribe> }> = [];
    for (const role of ['ADMIN', 'SUPERVISOR', 'VIEWER', 'AGENT'] as const) {
      const client = t.h.wsClient(t.keys[role]);
      for (const field of role === 'AGENT'
        ? (['agentEvents'] as const)
        : (['channelEvents', 'agentEvents', 'objectEvents'] as const)) {
        streams.push({ who: role, field, s: subscribe(client, live[field]) });
      }
    }
    // Subscribed once each shows in gatewaySessions (the root admin's view).
    await waitFor(async () => {
      const d = await t.ok<{ gatewaySessions: Array<{ subscriptions: unknown[] }> }>(
        '{ gatewaySessions { subscriptions { id } } }',
      );
      return d.gatewaySessions.reduce((n, s) => n + s.subscriptions.length, 0) >= streams.length;
    }, 'subscriptions registered');
    const round = await makeEvents(t);
    const leaks = [...t.bSecrets(), ...round.bStrings];
    for (const { who, field, s } of streams) {
      const sentinel = field === 'channelEvents' ? round.channel : field === 'agentEvents' ? round.agent : round.object;
      await waitFor(
        () => s.items.some((i) => BigInt((i.data as any)?.[field]?.cursor ?? -1) >= sentinel),
        `${who} ${field} live sentinel`,
      );
      expectNoLeak(s.items, leaks, `${who} ${field} live`);
      if (who === 'AGENT')
        expect(new Set(s.items.map((i) => (i.data as any).agentEvents.recipientId))).toEqual(new Set([t.a.agent]));
      // Document actions are an enum, not Blackhole's raw event names.
      if (field === 'objectEvents')
        for (const i of s.items)
          expect(['CREATED', 'EDITED', 'DELETED']).toContain((i.data as any).objectEvents.action);
      s.dispose();
    }
  });

  it('AGENT: its own recipient only — another agent of the same account is not found', async () => {
    const key = t.keys.AGENT;
    const other = t.a.otherAgent;
    expect((await t.as(key, 'query($id: ID!) { recipient(id: $id) { id } }', { id: other })).data).toEqual({
      recipient: null,
    });
    for (const field of ['loginRecipient', 'logoutRecipient', 'extendWrapup', 'cancelWrapup']) {
      const r = await t.as(key, `mutation($id: ID!) { ${field}(input: { id: $id }) { recipient { id } } }`, {
        id: other,
      });
      expect([field, r.errors?.map((e) => e.extensions)]).toEqual([field, [{ code: 'NOT_FOUND' }]]);
    }
    const mixed = await t.as(
      key,
      'mutation($a: ID!, $b: ID!) { setRecipientStatuses(input: { items: [{ id: $a, status: READY }, { id: $b, status: AWAY }] }) { results { ok } } }',
      { a: t.a.agent, b: other },
    );
    expect(mixed.errors?.map((e) => e.extensions)).toEqual([{ code: 'NOT_FOUND' }]);
    expect(
      (
        await t.as(key, 'mutation($id: ID!) { loginRecipient(input: { id: $id }) { recipient { id } } }', {
          id: t.a.agent,
        })
      ).errors,
    ).toBeUndefined();
    const own = await t.as(
      key,
      'mutation($id: ID!) { setRecipientStatus(input: { id: $id, status: AWAY }) { recipient { id status { availabilityState } } } }',
      { id: t.a.agent },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.setRecipientStatus.recipient.id).toBe(t.a.agent);
    const supervise = await t.as(
      key,
      'mutation($id: ID!, $t: ID!) { monitorRecipient(input: { id: $id, target: $t }) { recipient { id } } }',
      { id: t.a.agent, t: other },
    );
    expect(supervise.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it("gatewaySessions: an A-scoped ADMIN sees nothing of B's connections", async () => {
    const bKey = await t.h.keyFor('SUPERVISOR', { accountIds: [t.b.accountId], backends: [t.b.ari] });
    const client = t.h.wsClient(bKey);
    const s = subscribe(client, `subscription { channelEvents(filter: { accountId: "${t.b.accountId}" }) { cursor } }`);
    await waitFor(
      async () => JSON.stringify(await t.ok('{ gatewaySessions { subscriptions { query } } }')).includes(t.b.accountId),
      'B subscription registered',
    );
    const r = await t.as(
      t.keys.ADMIN,
      '{ gatewaySessions { id remoteAddress subscriptions { query operationName } } }',
    );
    expectNoLeak(r, t.bSecrets(), 'scoped ADMIN gatewaySessions');
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    s.dispose();
    await client.dispose();
  });

  it('KAZOO system-wide channel listing: ADMIN only, and a scoped ADMIN still gets nothing of B', async () => {
    t.sim.setAllowSystemWideChannels(true);
    try {
      for (const role of ['SUPERVISOR', 'VIEWER', 'AGENT'] as const) {
        const r = await t.as(t.keys[role], '{ channels(filter: { systemWide: true }) { id } }');
        expect([role, r.errors?.map((e) => e.extensions?.code)]).toEqual([role, ['FORBIDDEN']]);
      }
      const r = await t.as(
        t.keys.ADMIN,
        '{ channels(filter: { systemWide: true }) { id name caller { name number } } }',
      );
      expectNoLeak(r, t.bSecrets(), 'scoped ADMIN systemWide');
      expect(r.errors?.every((e) => e.extensions?.code === 'FORBIDDEN' && e.extensions?.backend)).toBe(true);
    } finally {
      t.sim.setAllowSystemWideChannels(false);
    }
  });
}
