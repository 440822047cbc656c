/**
 * Blackhole websocket sessions and the binding catalogue through GraphQL (the gateway's own
 * Blackhole connection is a session), plus KAZOO authentication as GraphQL clients see it.
 * Backends: see startKazooGraph.
 */
import { crossbarGet, type KazooGraph } from './kazoo-gateway';

let g: KazooGraph;
const GREGORIAN_OFFSET_S = 62_167_219_200;
const SESSION_FIELDS = 'id nativeId accountId bindings connectedAt source destination name';

export function websocketAndAuthCases(graph: () => KazooGraph): void {
  beforeAll(() => {
    g = graph();
  });

  describe('websockets', () => {
    it("websocketSessions: the gateway's own Blackhole connection, as KAZOO tracks it", async () => {
      const wire = (await crossbarGet(g.sim, g.acme, `/accounts/${g.acme.id}/websockets`)) as Array<
        Record<string, any>
      >;
      expect(wire).toHaveLength(1);
      const w = wire[0];
      const r = await g.ok<{ websocketSessions: any[] }>(`{ websocketSessions(backend: "kz") { ${SESSION_FIELDS} } }`);
      expect(r.websocketSessions).toEqual([
        {
          id: `kz:${g.acme.id}/${w.websocket_session_id}`,
          nativeId: w.websocket_session_id,
          accountId: g.acme.id,
          bindings: expect.arrayContaining(['call.*.*', 'object.*.*', 'qubicle.recipient']),
          connectedAt: new Date((w.timestamp - GREGORIAN_OFFSET_S) * 1000).toISOString(),
          source: w.source ?? null,
          destination: w.destination ?? null,
          name: w.name ?? null,
        },
      ]);
      expect([...r.websocketSessions[0].bindings].sort()).toEqual([...w.bindings].sort());
      expect(r.websocketSessions[0].nativeId).toMatch(/^127\.0\.0\.1:\d+$/);

      const explicit = await g.ok<{ websocketSessions: Array<{ id: string }> }>(
        'query($a: String!) { websocketSessions(accountId: $a, backend: "kz") { id } }',
        { a: g.acme.id },
      );
      expect(explicit.websocketSessions.map((s) => s.id)).toEqual([r.websocketSessions[0].id]);
    });

    it('websocketSession(id) reads one; an unknown session id is null', async () => {
      const [s] = (
        await g.ok<{ websocketSessions: any[] }>(`{ websocketSessions(backend: "kz") { ${SESSION_FIELDS} } }`)
      ).websocketSessions;
      const r = await g.ok<Record<string, unknown>>(
        `query($id: ID!, $none: ID!) { one: websocketSession(id: $id) { ${SESSION_FIELDS} } none: websocketSession(id: $none) { id } }`,
        { id: s.id, none: `kz:${g.acme.id}/10.0.0.1:1` },
      );
      expect(r).toEqual({ one: s, none: null });
    });

    it('without a backend argument every KAZOO backend answers; each failing one adds one error', async () => {
      const r = await g.h.gql<{ websocketSessions: Array<{ id: string }> }>('{ websocketSessions { id } }');
      // kzadmin asks for the master account, where nobody is connected.
      expect(r.data!.websocketSessions).toHaveLength(1);
      expect(r.data!.websocketSessions[0].id.startsWith(`kz:${g.acme.id}/`)).toBe(true);
      expect(r.errors!.map((e) => [e.extensions!.code, e.extensions!.backend, e.path]).sort()).toEqual([
        ['BACKEND_AUTH_FAILED', 'kzbadkey', ['websocketSessions']],
        ['BACKEND_UNAVAILABLE', 'kzdown', ['websocketSessions']],
      ]);
    });

    it('websocketBindings: the catalogue KAZOO offers, grouped by category', async () => {
      const wire = (await crossbarGet(g.sim, g.acme, '/websockets')) as Record<string, string[]>;
      const r = await g.ok<{ websocketBindings: Array<{ category: string; bindings: string[] }> }>(
        '{ websocketBindings(backend: "kz") { category bindings } }',
      );
      expect(r.websocketBindings).toEqual(Object.entries(wire).map(([category, bindings]) => ({ category, bindings })));
      expect(r.websocketBindings.map((x) => x.category)).toEqual(expect.arrayContaining(['call', 'object']));
      expect(r.websocketBindings.find((x) => x.category === 'call')!.bindings).toContain(
        'call.CHANNEL_CREATE.{CALL_ID}',
      );
    });

    it('bad ids and non-KAZOO backends are refused before any backend call', async () => {
      const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
        [
          '{ websocketBindings(backend: "pbx1") { category } }',
          {},
          { code: 'UNSUPPORTED_OPERATION', backend: 'pbx1', backendKind: 'ari', operation: 'websocketBindings' },
        ],
        [
          '{ websocketSessions(backend: "pbx1") { id } }',
          {},
          { code: 'UNSUPPORTED_OPERATION', backend: 'pbx1', backendKind: 'ari', operation: 'websocketSessions' },
        ],
        [
          'query($id: ID!) { websocketSession(id: $id) { id } }',
          { id: `pbx1:${g.acme.id}/1.2.3.4:5` },
          { code: 'UNSUPPORTED_OPERATION', backend: 'pbx1', backendKind: 'ari', operation: 'websocketSession' },
        ],
        [
          '{ websocketBindings(backend: "nope") { category } }',
          {},
          { code: 'BAD_USER_INPUT', argumentName: 'backend' },
        ],
        ['{ websocketSessions(accountId: "acme") { id } }', {}, { code: 'BAD_USER_INPUT', argumentName: 'accountId' }],
        [
          'query($id: ID!) { websocketSession(id: $id) { id } }',
          { id: 'kz:1.2.3.4:5' },
          { code: 'BAD_USER_INPUT', argumentName: 'id' },
        ],
      ];
      for (const [q, v, ext] of cases) {
        const { r, lines } = await g.traced(q, v);
        expect(r.errors).toHaveLength(1);
        expect(r.errors![0].extensions).toEqual(ext);
        expect(lines).toEqual([]);
      }
    });
  });

  describe('KAZOO authentication seen from GraphQL', () => {
    it('an expired token is renewed once, transparently', async () => {
      g.sim.expireAllTokens();
      // The account filter makes sure Crossbar is asked (not the live view).
      const { r, lines } = await g.traced<{ channels: unknown[] }>(
        `{ channels(filter: { backend: "kz", accountId: "${g.acme.id}" }) { id } }`,
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.channels).toEqual([]);
      expect(lines).toEqual([
        `GET /accounts/${g.acme.id}/channels`,
        'PUT /api_auth',
        `GET /accounts/${g.acme.id}/channels`,
      ]);
    });

    it('an api key KAZOO does not know: BACKEND_AUTH_FAILED with backend, status and message; no secret shown', async () => {
      const r = await g.h.gql(
        '{ channels(filter: { backend: "kzbadkey" }) { id } recipients(backend: "kzbadkey") { id } }',
      );
      expect(r.data).toEqual({ channels: [], recipients: [] });
      expect(r.errors).toHaveLength(2);
      for (const e of r.errors!) {
        expect(e.extensions).toEqual({
          code: 'BACKEND_AUTH_FAILED',
          backend: 'kzbadkey',
          backendStatus: 404,
          backendMessage: expect.any(String),
        });
      }
      expect(r.errors!.map((e) => e.path).sort()).toEqual([['channels'], ['recipients']]);
      expect(JSON.stringify(r)).not.toContain('f'.repeat(64));
    });
  });
}
