/**
 * Call-center agents (Qubicle recipients) through GraphQL: list with batched status, one agent
 * with config and every status field, the agent mutations, and kind refusals.
 * Default world: Alice (Ready, Sales+Support, may monitor), Bob (Away, Sales), Carol (Ready,
 * Support), Dave (logged out); plus "Bulk Co", a child account of Acme with 50 ready agents.
 */
import { waitFor } from '../../helpers/gateway-harness';
import { crossbarGet, crossbarWrite, type KazooGraph } from './kazoo-gateway';

let g: KazooGraph;
let bulk: { accountId: string; queueId: string };

const STATUS_FIELDS = `loggedIn available availabilityState rawAvailabilityState queueAvailability { queueId available }
  offeredCall { queueId sessionId callerIdName callerIdNumber queueEnterTime }
  handlingCall { queueId sessionId callerIdName callerIdNumber queueEnterTime }
  wiretappingRecipient wiretapMode wrapupTimeSeconds node
  stats { totalCalls offeredCalls missedCalls avgCallTimeSeconds loginTime lastActionTime lastHandledTime }`;
const LOGGED_OUT = {
  loggedIn: false,
  available: false,
  availabilityState: 'NOT_LOGGED_IN',
  rawAvailabilityState: 'not_logged_in',
  queueAvailability: [],
  offeredCall: null,
  handlingCall: null,
  wiretappingRecipient: null,
  wiretapMode: null,
  wrapupTimeSeconds: 0,
  node: null,
  stats: null,
};
const unixIso = (s: number) => new Date(s * 1000).toISOString();

const statusOf = async (username: string) =>
  (
    await g.ok<{ recipient: { status: Record<string, any> } }>(
      `query($id: ID!) { recipient(id: $id) { status { ${STATUS_FIELDS} } } }`,
      { id: g.rid(username) },
    )
  ).recipient.status;

export function recipientCases(graph: () => KazooGraph): void {
  beforeAll(() => {
    g = graph();
    bulk = g.bulk;
  });

  describe('queries', () => {
    it("recipients: the account's agents with their status in exactly two backend requests", async () => {
      const { r: res, lines } = await g.traced<{ recipients: any[] }>(
        '{ recipients(backend: "kz") { id nativeId accountId name backend { name kind } status { loggedIn availabilityState rawAvailabilityState available } } }',
      );
      expect(res.errors).toBeUndefined();
      const r = res.data!;
      const row = (username: string, name: string, status: unknown) => ({
        id: g.rid(username),
        nativeId: g.user(username),
        accountId: g.acme.id,
        name,
        backend: { name: 'kz', kind: 'KAZOO' },
        status,
      });
      expect([...r.recipients].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        row('alice.agent', 'Alice Agent', {
          loggedIn: true,
          availabilityState: 'READY',
          rawAvailabilityState: 'Ready',
          available: true,
        }),
        row('bob.agent', 'Bob Agent', {
          loggedIn: true,
          availabilityState: 'AWAY',
          rawAvailabilityState: 'Away',
          available: false,
        }),
        row('carol.agent', 'Carol Agent', {
          loggedIn: true,
          availabilityState: 'READY',
          rawAvailabilityState: 'Ready',
          available: true,
        }),
        row('dave.agent', 'Dave Agent', {
          loggedIn: false,
          availabilityState: 'NOT_LOGGED_IN',
          rawAvailabilityState: 'not_logged_in',
          available: false,
        }),
      ]);
      expect(lines).toEqual([
        `GET /accounts/${g.acme.id}/qubicle_recipients`,
        `POST /accounts/${g.acme.id}/qubicle_recipients/status`,
      ]);

      // Without arguments: every KAZOO backend's own account (kzadmin's has no agents); the broken
      // backends add one error each; the ARI backend is not asked.
      const all = await g.h.gql<{ recipients: Array<{ id: string }> }>('{ recipients { id } }');
      expect(all.data!.recipients.map((x) => x.id).sort()).toEqual(
        ['alice.agent', 'bob.agent', 'carol.agent', 'dave.agent'].map((u) => g.rid(u)).sort(),
      );
      expect(all.errors!.map((e) => [e.extensions!.code, e.extensions!.backend, e.path]).sort()).toEqual([
        ['BACKEND_AUTH_FAILED', 'kzbadkey', ['recipients']],
        ['BACKEND_UNAVAILABLE', 'kzdown', ['recipients']],
      ]);
    });

    it('a 50-agent recipients { id name status } query costs exactly 2 requests: the list and one status POST', async () => {
      const { r: res, lines } = await g.traced<{ recipients: Array<{ id: string; name: string; status: any }> }>(
        `query($a: String!) { recipients(accountId: $a, backend: "kz") { id name status { ${STATUS_FIELDS} } } }`,
        { a: bulk.accountId },
      );
      expect(res.errors).toBeUndefined();
      const r = res.data!;
      expect(r.recipients).toHaveLength(50);
      expect(new Set(r.recipients.map((x) => x.id)).size).toBe(50);
      expect(
        r.recipients.every((x) => x.id.startsWith(`kz:${bulk.accountId}/`) && /^Agent\d{3} Bulk$/.test(x.name)),
      ).toBe(true);
      expect(
        r.recipients.every(
          (x) => x.status.availabilityState === 'READY' && x.status.loggedIn && x.status.stats.totalCalls === 0,
        ),
      ).toBe(true);
      expect(lines).toEqual([
        `GET /accounts/${bulk.accountId}/qubicle_recipients`,
        `POST /accounts/${bulk.accountId}/qubicle_recipients/status`,
      ]);
    });

    it('recipients + status + config: the list, one status POST and, the first time only, one user-document GET per agent; no per-agent status GET', async () => {
      const CONFIG_QUERY =
        '{ recipients(backend: "kz") { id status { loggedIn availabilityState } config { username enabled hasPin } } }';
      const { r: res, lines } = await g.traced<{ recipients: Array<{ id: string; status: any; config: any }> }>(
        CONFIG_QUERY,
      );
      expect(res.errors).toBeUndefined();
      const byId = new Map(res.data!.recipients.map((x) => [x.id, x]));
      expect(byId.get(g.rid('alice.agent'))).toEqual({
        id: g.rid('alice.agent'),
        status: { loggedIn: true, availabilityState: 'READY' },
        config: { username: 'alice.agent', enabled: true, hasPin: false },
      });
      expect(byId.get(g.rid('dave.agent'))!.status).toEqual({ loggedIn: false, availabilityState: 'NOT_LOGGED_IN' });
      const base = `/accounts/${g.acme.id}/qubicle_recipients`;
      const docs = ['alice.agent', 'bob.agent', 'carol.agent', 'dave.agent'].map((u) => `GET ${base}/${g.user(u)}`);
      expect(lines.slice(0, 2)).toEqual([`GET ${base}`, `POST ${base}/status`]);
      expect(lines.slice(2).sort()).toEqual(docs.sort());

      // Blackhole reports edits of Acme's user documents: the configs are kept.
      const again = await g.traced<{ recipients: Array<{ id: string; config: any }> }>(CONFIG_QUERY);
      expect(again.r.data).toEqual(res.data);
      expect(again.lines).toEqual([`GET ${base}`, `POST ${base}/status`]);
    });

    it("an edit of an agent's user document (doc_edited on Blackhole) makes the next listing read that one document again", async () => {
      const CONFIG_QUERY = '{ recipients(backend: "kz") { id config { firstName enabled } } }';
      await g.ok(CONFIG_QUERY);
      const bob = g.user('bob.agent');
      const base = `/accounts/${g.acme.id}/qubicle_recipients`;
      const kept = g.kazoo.cachedRecipientConfigs();
      try {
        await crossbarWrite(g.sim, g.acme, 'POST', `/accounts/${g.acme.id}/users/${bob}`, { first_name: 'Robert' });
        await waitFor(() => g.kazoo.cachedRecipientConfigs() === kept - 1, "Bob's config dropped");
        const { r, lines } = await g.traced<{ recipients: Array<{ id: string; config: { firstName: string } }> }>(
          CONFIG_QUERY,
        );
        expect(r.data!.recipients.find((x) => x.id === g.rid('bob.agent'))!.config).toEqual({
          firstName: 'Robert',
          enabled: true,
        });
        expect(lines).toEqual([`GET ${base}`, `POST ${base}/status`, `GET ${base}/${bob}`]);
      } finally {
        await crossbarWrite(g.sim, g.acme, 'POST', `/accounts/${g.acme.id}/users/${bob}`, { first_name: 'Bob' });
      }
      await waitFor(() => g.kazoo.cachedRecipientConfigs() === kept - 1, "Bob's config dropped again");
    });

    it('50 agents of a child account with config: 52 requests the first time (the list asked for whole, paginate=false), then 2', async () => {
      const before = g.sim.requests.length;
      const { r: res, lines } = await g.traced<{ recipients: Array<{ config: { enabled: boolean } }> }>(
        'query($a: String!) { recipients(accountId: $a, backend: "kz") { id status { availabilityState } config { enabled } } }',
        { a: bulk.accountId },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.recipients).toHaveLength(50);
      expect(res.data!.recipients.every((x) => x.config.enabled)).toBe(true);
      const base = `/accounts/${bulk.accountId}/qubicle_recipients`;
      expect(lines).toHaveLength(52);
      expect(lines.slice(0, 2)).toEqual([`GET ${base}`, `POST ${base}/status`]);
      expect(
        lines
          .slice(2)
          .every(
            (l) =>
              /^GET \/accounts\/[0-9a-f]{32}\/qubicle_recipients\/[0-9a-f]{32}$/.test(l) &&
              l.startsWith(`GET ${base}/`),
          ),
      ).toBe(true);
      expect(new Set(lines.slice(2)).size).toBe(50);
      const listing = g.sim.requests.slice(before).find((x) => x.method === 'GET' && x.path === `/v2${base}`);
      expect(listing?.query).toBe('paginate=false');

      // The child account was watched (object.*.user for it) before its documents were read.
      const again = await g.traced<{ recipients: Array<{ config: { enabled: boolean } }> }>(
        'query($a: String!) { recipients(accountId: $a, backend: "kz") { id status { availabilityState } config { enabled } } }',
        { a: bulk.accountId },
      );
      expect(again.r.data).toEqual(res.data);
      expect(again.lines).toEqual([`GET ${base}`, `POST ${base}/status`]);
    });

    it('recipient(id): config from the user document and every status field', async () => {
      const rawStatus = await crossbarGet(
        g.sim,
        g.acme,
        `/accounts/${g.acme.id}/qubicle_recipients/${g.user('alice.agent')}/status`,
      );
      const r = await g.ok<{ recipient: any }>(
        `query($id: ID!) { recipient(id: $id) { id nativeId accountId name
          config { firstName lastName username email presenceId enabled offering hasPin raw }
          status { ${STATUS_FIELDS} } } }`,
        { id: g.rid('alice.agent') },
      );
      expect(r.recipient).toEqual({
        id: g.rid('alice.agent'),
        nativeId: g.user('alice.agent'),
        accountId: g.acme.id,
        name: 'Alice Agent',
        config: {
          firstName: 'Alice',
          lastName: 'Agent',
          username: 'alice.agent',
          email: 'alice.agent@example.com',
          presenceId: '201',
          enabled: true,
          offering: null,
          hasPin: false,
          raw: { enabled: true, queues: [g.queue('Sales'), g.queue('Support')], call_monitor: true },
        },
        status: {
          loggedIn: true,
          available: true,
          availabilityState: 'READY',
          rawAvailabilityState: 'Ready',
          queueAvailability: [],
          offeredCall: null,
          handlingCall: null,
          wiretappingRecipient: null,
          wiretapMode: null,
          wrapupTimeSeconds: 0,
          node: 'qubicle@apps1.sip.example.com',
          stats: {
            totalCalls: 0,
            offeredCalls: 0,
            missedCalls: 0,
            avgCallTimeSeconds: 0,
            loginTime: unixIso(rawStatus.stats.login_time),
            lastActionTime: unixIso(rawStatus.stats.last_action_time),
            lastHandledTime: null,
          },
        },
      });
    });

    it('a logged-out agent: loggedIn false, NOT_LOGGED_IN and nothing else, by id and in the list alike', async () => {
      expect(await statusOf('dave.agent')).toEqual(LOGGED_OUT);
      const list = await g.ok<{ recipients: Array<{ id: string; status: unknown }> }>(
        `{ recipients(backend: "kz") { id status { ${STATUS_FIELDS} } } }`,
      );
      expect(list.recipients.find((x) => x.id === g.rid('dave.agent'))!.status).toEqual(LOGGED_OUT);
    });

    it('unknown and non-agent users are null; bad ids are BAD_USER_INPUT; an ARI backend is UNSUPPORTED_OPERATION', async () => {
      const r = await g.ok<Record<string, unknown>>(
        `query($u: ID!, $o: ID!) { unknown: recipient(id: $u) { id } owner: recipient(id: $o) { id } }`,
        { u: `kz:${g.acme.id}/${'e'.repeat(32)}`, o: g.rid('olivia.owner') },
      );
      expect(r).toEqual({ unknown: null, owner: null });
      for (const id of ['kz:nope', `kz:${g.acme.id}/`, `kz:ACME/${g.user('bob.agent')}`, 'no-backend']) {
        const bad = await g.h.gql('query($id: ID!) { recipient(id: $id) { id } }', { id });
        expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'id' });
      }
      const unknownBackend = await g.h.gql('{ recipients(backend: "nope") { id } }');
      expect(unknownBackend.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'backend' });
      const ari = await g.h.gql('{ recipients(backend: "pbx1") { id } }');
      expect(ari.errors![0].extensions).toEqual({
        code: 'UNSUPPORTED_OPERATION',
        backend: 'pbx1',
        backendKind: 'ari',
        operation: 'recipients',
      });
      const onAri = `pbx1:${g.acme.id}/${g.user('dave.agent')}`;
      const ariOne = await g.h.gql('query($id: ID!) { recipient(id: $id) { id } }', { id: onAri });
      expect(ariOne.errors![0].extensions).toEqual({
        code: 'UNSUPPORTED_OPERATION',
        backend: 'pbx1',
        backendKind: 'ari',
        operation: 'recipient',
      });
      const ariLogin = await g.h.gql('mutation($id: ID!) { loginRecipient(input: { id: $id }) { recipient { id } } }', {
        id: onAri,
      });
      expect(ariLogin.errors![0].extensions).toEqual({
        code: 'UNSUPPORTED_OPERATION',
        backend: 'pbx1',
        backendKind: 'ari',
        operation: 'loginRecipient',
      });
    });
  });

  describe('mutations', () => {
    const SET =
      'mutation($input: SetRecipientStatusInput!) { setRecipientStatus(input: $input) { recipient { id status { loggedIn availabilityState queueAvailability { queueId available } } } } }';

    it('login, ready, away in one queue, logout — each returns the agent re-read', async () => {
      const dave = g.rid('dave.agent');
      const login = await g.traced(
        'mutation($id: ID!) { loginRecipient(input: { id: $id }) { recipient { id status { loggedIn availabilityState } } } }',
        { id: dave },
      );
      expect(login.r.errors).toBeUndefined();
      expect(login.r.data).toEqual({
        loginRecipient: { recipient: { id: dave, status: { loggedIn: true, availabilityState: 'AWAY' } } },
      });
      const path = `/accounts/${g.acme.id}/qubicle_recipients/${g.user('dave.agent')}`;
      // The action, then the re-read: user document and status.
      expect([login.lines[0], ...login.lines.slice(1).sort()]).toEqual([
        `POST ${path}`,
        `GET ${path}`,
        `GET ${path}/status`,
      ]);

      expect(await g.ok(SET, { input: { id: dave, status: 'READY' } })).toEqual({
        setRecipientStatus: {
          recipient: { id: dave, status: { loggedIn: true, availabilityState: 'READY', queueAvailability: [] } },
        },
      });
      expect(await g.ok(SET, { input: { id: dave, status: 'AWAY', queueId: g.queue('Sales') } })).toEqual({
        setRecipientStatus: {
          recipient: {
            id: dave,
            status: {
              loggedIn: true,
              availabilityState: 'READY',
              queueAvailability: [{ queueId: g.queue('Sales'), available: false }],
            },
          },
        },
      });
      expect(g.sim.recipientState(g.user('dave.agent'))).toBe('Ready');
      expect(
        await g.ok(
          'mutation($id: ID!) { logoutRecipient(input: { id: $id }) { recipient { id status { loggedIn availabilityState } } } }',
          { id: dave },
        ),
      ).toEqual({
        logoutRecipient: { recipient: { id: dave, status: { loggedIn: false, availabilityState: 'NOT_LOGGED_IN' } } },
      });
      expect(g.sim.recipientState(g.user('dave.agent'))).toBe('Not-Logged-In');
    });

    it("setRecipientStatus: KAZOO's 400 for a logged-out agent; a bad queueId is refused before sending", async () => {
      const r = await g.h.gql(SET, { input: { id: g.rid('dave.agent'), status: 'READY' } });
      expect(r.data).toBeNull();
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', backend: 'kz', backendStatus: 400 });
      expect((r.errors![0].extensions!.validation as Array<{ rule: string }>).map((v) => v.rule)).toEqual([
        'not_logged_in',
      ]);

      const bad = await g.traced(SET, { input: { id: g.rid('bob.agent'), status: 'READY', queueId: 'sales' } });
      expect(bad.r.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'queueId' });
      expect(bad.lines).toEqual([]);
    });

    it('setRecipientStatuses: one result per line, in order, one POST per account', async () => {
      const bulkAgent = `kz:${bulk.accountId}/${g.sim.world.recipients.find((x) => x.accountId === bulk.accountId)!.id}`;
      const items = [
        { id: g.rid('alice.agent'), status: 'AWAY' },
        { id: bulkAgent, status: 'AWAY' },
        { id: g.rid('bob.agent'), status: 'READY' },
        { id: g.rid('bob.agent'), status: 'AWAY', queueId: g.queue('Support') },
        { id: g.rid('dave.agent'), status: 'READY' },
      ];
      const { r: res, lines } = await g.traced<{ setRecipientStatuses: { results: unknown[] } }>(
        'mutation($items: [SetRecipientStatusInput!]!) { setRecipientStatuses(input: { items: $items }) { results { recipientId queueId status ok error } } }',
        { items },
      );
      expect(res.errors).toBeUndefined();
      const r = res.data!;
      expect(r.setRecipientStatuses.results).toEqual([
        { recipientId: g.rid('alice.agent'), queueId: null, status: 'AWAY', ok: true, error: null },
        { recipientId: bulkAgent, queueId: null, status: 'AWAY', ok: true, error: null },
        { recipientId: g.rid('bob.agent'), queueId: null, status: 'READY', ok: true, error: null },
        { recipientId: g.rid('bob.agent'), queueId: g.queue('Support'), status: 'AWAY', ok: false, error: 'error' },
        { recipientId: g.rid('dave.agent'), queueId: null, status: 'READY', ok: false, error: 'error' },
      ]);
      expect(lines.sort()).toEqual(
        [
          `POST /accounts/${g.acme.id}/qubicle_recipients/status`,
          `POST /accounts/${bulk.accountId}/qubicle_recipients/status`,
        ].sort(),
      );
      expect([g.sim.recipientState(g.user('alice.agent')), g.sim.recipientState(g.user('bob.agent'))]).toEqual([
        'Away',
        'Ready',
      ]);

      const empty = await g.h.gql('mutation { setRecipientStatuses(input: { items: [] }) { results { ok } } }');
      expect(empty.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'items' });
      // Back to the world's starting states for the next test.
      await g.ok(
        'mutation($items: [SetRecipientStatusInput!]!) { setRecipientStatuses(input: { items: $items }) { results { ok } } }',
        {
          items: [
            { id: g.rid('alice.agent'), status: 'READY' },
            { id: g.rid('bob.agent'), status: 'AWAY' },
            { id: bulkAgent, status: 'READY' },
          ],
        },
      );
    });

    it('setRecipientStatuses: an account the backend may not reach fails its own lines only', async () => {
      const master = g.sim.world.superduperAccount.id;
      const { r, lines } = await g.traced(
        'mutation($items: [SetRecipientStatusInput!]!) { setRecipientStatuses(input: { items: $items }) { results { recipientId queueId status ok error } } }',
        {
          items: [
            { id: g.rid('bob.agent'), status: 'READY' },
            { id: `kz:${master}/${'a'.repeat(32)}`, status: 'READY' },
          ],
        },
      );
      const failure = `KAZOO POST /accounts/${master}/qubicle_recipients/status failed (403): forbidden`;
      expect(r.data!.setRecipientStatuses.results).toEqual([
        { recipientId: g.rid('bob.agent'), queueId: null, status: 'READY', ok: true, error: null },
        { recipientId: `kz:${master}/${'a'.repeat(32)}`, queueId: null, status: 'READY', ok: false, error: failure },
      ]);
      expect(r.errors).toEqual([
        {
          message: failure,
          path: ['setRecipientStatuses'],
          extensions: { code: 'BACKEND_AUTH_FAILED', backend: 'kz', backendStatus: 403, backendMessage: 'forbidden' },
        },
      ]);
      expect(g.sim.recipientState(g.user('bob.agent'))).toBe('Ready');
      expect(lines.sort()).toEqual(
        [
          `POST /accounts/${g.acme.id}/qubicle_recipients/status`,
          `POST /accounts/${master}/qubicle_recipients/status`,
        ].sort(),
      );
      await g.ok(SET, { input: { id: g.rid('bob.agent'), status: 'AWAY' } });
    });

    it('setRecipientStatuses: the same agent and queue twice is refused before anything is sent', async () => {
      const { r, lines } = await g.traced(
        'mutation($items: [SetRecipientStatusInput!]!) { setRecipientStatuses(input: { items: $items }) { results { ok } } }',
        {
          items: [
            { id: g.rid('alice.agent'), status: 'AWAY' },
            {
              id: `kz:${bulk.accountId}/${g.sim.world.recipients.find((x) => x.accountId === bulk.accountId)!.id}`,
              status: 'AWAY',
            },
            { id: g.rid('alice.agent'), status: 'READY' },
          ],
        },
      );
      expect(r.data).toBeNull();
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'input.items[2]' });
      expect(lines).toEqual([]);
      expect(g.sim.recipientState(g.user('alice.agent'))).toBe('Ready');
    });

    it('queue call: offer and handling show in status; monitor, then wrap-up extend and cancel', async () => {
      const [alice, carol] = [g.rid('alice.agent'), g.rid('carol.agent')];
      await g.ok(SET, { input: { id: alice, status: 'AWAY' } });
      const aLeg = g.sim.startCall({
        accountId: g.acme.id,
        queueId: g.queue('Support'),
        callerIdName: 'Zed',
        callerIdNumber: '+15550199',
      });
      try {
        await waitFor(() => g.sim.recipientState(g.user('carol.agent')) === 'Call-Offer', 'offer to Carol');
        const offer = await statusOf('carol.agent');
        expect(offer).toMatchObject({
          availabilityState: 'CALL_OFFER',
          rawAvailabilityState: 'Call-Offer',
          offeredCall: {
            queueId: g.queue('Support'),
            sessionId: aLeg,
            callerIdName: 'Zed',
            callerIdNumber: '+15550199',
            queueEnterTime: expect.any(String),
          },
          handlingCall: null,
        });

        g.sim.answerCall(g.sim.callLegs(aLeg)[1]);
        await waitFor(() => g.sim.recipientState(g.user('carol.agent')) === 'On-A-Call', 'Carol on the call');
        const onCall = await statusOf('carol.agent');
        expect([onCall.availabilityState, onCall.handlingCall?.callerIdName, onCall.handlingCall?.sessionId]).toEqual([
          'ON_A_CALL',
          'Zed',
          aLeg,
        ]);

        const m = await g.ok<{ monitorRecipient: any }>(
          'mutation($input: MonitorRecipientInput!) { monitorRecipient(input: $input) { recipient { id status { wiretappingRecipient wiretapMode } } actionCursor } }',
          { input: { id: alice, target: carol, mode: 'WHISPER' } },
        );
        expect(m.monitorRecipient).toEqual({
          recipient: { id: alice, status: { wiretappingRecipient: carol, wiretapMode: 'WHISPER' } },
          actionCursor: expect.stringMatching(/^\d+$/),
        });

        g.sim.hangupCall(aLeg);
        await waitFor(() => g.sim.recipientState(g.user('carol.agent')) === 'Wrapup-Time', 'wrap-up');
        const WRAP = 'status { availabilityState rawAvailabilityState wrapupTimeSeconds stats { totalCalls } }';
        const ext = await g.ok<{ extendWrapup: any }>(
          `mutation($id: ID!) { extendWrapup(input: { id: $id }) { recipient { id ${WRAP} } } }`,
          { id: carol },
        );
        expect(ext.extendWrapup.recipient).toMatchObject({
          id: carol,
          status: { availabilityState: 'WRAPUP_TIME', rawAvailabilityState: 'Wrapup-Time', stats: { totalCalls: 1 } },
        });
        expect(ext.extendWrapup.recipient.status.wrapupTimeSeconds).toBeGreaterThan(0);
        const cancel = await g.ok<{ cancelWrapup: any }>(
          `mutation($id: ID!) { cancelWrapup(input: { id: $id }) { recipient { id ${WRAP} } } }`,
          { id: carol },
        );
        expect(cancel.cancelWrapup.recipient).toEqual({
          id: carol,
          status: {
            availabilityState: 'READY',
            rawAvailabilityState: 'Ready',
            wrapupTimeSeconds: 0,
            stats: { totalCalls: 1 },
          },
        });
      } finally {
        if (g.sim.callLegs(aLeg).length) g.sim.hangupCall(aLeg);
        await g.ok(SET, { input: { id: alice, status: 'READY' } });
      }
    });

    it("monitorRecipient: the target must be in the supervisor's account, and not the supervisor", async () => {
      const other = `kz:${bulk.accountId}/${g.sim.world.recipients.find((x) => x.accountId === bulk.accountId)!.id}`;
      const cross = await g.traced(
        'mutation($input: MonitorRecipientInput!) { monitorRecipient(input: $input) { recipient { id } } }',
        {
          input: { id: g.rid('alice.agent'), target: other },
        },
      );
      expect(cross.r.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'input.target' });
      const self = await g.traced(
        'mutation($input: MonitorRecipientInput!) { monitorRecipient(input: $input) { recipient { id } } }',
        {
          input: { id: g.rid('alice.agent'), target: g.rid('alice.agent') },
        },
      );
      expect(self.r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect([...cross.lines, ...self.lines]).toEqual([]);
    });
  });
}
