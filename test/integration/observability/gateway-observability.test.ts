/**
 * /healthz, /readyz, /metrics and the request log of a real gateway (ARI + KAZOO simulators),
 * then graceful stop: a graphql-ws subscriber gets `complete` and a 1001 close.
 */
import WebSocket from 'ws';
import { waitFor } from '../../helpers/gateway-harness';
import { scrape, sampleValue, startObservedGateway, type ObservedGateway } from './helpers';

const ORIGINATE = 'mutation Orig($input: OriginateInput!) { originate(input: $input) { channel { id } } }';
const HANGUP = 'mutation Hang($id: ID!) { hangupChannel(input: { id: $id }) { hungUpChannelId } }';

/** A bare graphql-transport-ws client: every frame it receives and the close code. */
function rawSubscriber(url: string, query: string, key: string) {
  const frames: Array<{ type: string; id?: string; payload?: any }> = [];
  let closeCode: number | null = null;
  const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  ws.on('open', () =>
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })),
  );
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    frames.push(msg);
    if (msg.type === 'connection_ack')
      ws.send(JSON.stringify({ id: 's1', type: 'subscribe', payload: { query, operationName: 'Watch' } }));
  });
  ws.on('close', (code) => {
    closeCode = code;
  });
  return {
    frames,
    close: () => ws.close(),
    get closeCode() {
      return closeCode;
    },
  };
}

describe('observability: health, readiness, metrics, request logs, graceful stop', () => {
  let h: ObservedGateway;
  beforeAll(async () => {
    h = await startObservedGateway();
  }, 30_000);
  afterAll(() => h?.close());

  it('/healthz says the process is alive', async () => {
    const res = await fetch(`${h.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 with the database, the bus and every backend connected', async () => {
    const res = await fetch(`${h.base}/readyz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'ready',
      database: { ok: true },
      bus: { ok: true },
      shuttingDown: false,
      reasons: [],
    });
    expect(body.backends).toEqual([
      expect.objectContaining({ name: 'pbx1', kind: 'ari', connected: true, reason: null, ingestLeader: true }),
      expect.objectContaining({ name: 'kz', kind: 'kazoo', connected: true, reason: null, ingestLeader: true }),
    ]);
  });

  it('one log line per request: request id, operation, duration, principal (the API key id), backend calls', async () => {
    const orig = await h.gql(
      ORIGINATE,
      { input: { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay' } },
      { 'x-request-id': 'obs-orig-1' },
    );
    expect(orig.errors).toBeUndefined();
    expect(orig.requestId).toBe('obs-orig-1');
    const chans = await h.gql('query Chans { channels { id } }', undefined, { 'x-request-id': 'obs-chans-1' });
    expect(chans.status).toBe(200);
    const generated = await h.gql('{ backends { name } }');
    expect(generated.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const lines = (id: string) => h.log.lines.filter((l) => l.requestId === id);
    await waitFor(
      () => lines('obs-chans-1').length === 1 && lines(generated.requestId!).length === 1,
      'log lines written',
    );
    const [o] = lines('obs-orig-1');
    expect(lines('obs-orig-1')).toHaveLength(1);
    expect(o).toMatchObject({
      level: 30,
      component: 'request',
      msg: 'graphql request',
      transport: 'http',
      method: 'POST',
      path: '/graphql',
      status: 200,
      operationName: 'Orig',
      operationType: 'mutation',
      outcome: 'success',
      principalId: h.adminKey.split('_')[1],
      backendCalls: 1,
      completed: true,
    });
    expect(typeof o.durationMs).toBe('number');
    expect(o.backendMs).toBeGreaterThan(0);
    // The live view answers `channels` while the stream is healthy: no backend call at all.
    expect(lines('obs-chans-1')[0]).toMatchObject({
      operationName: 'Chans',
      operationType: 'query',
      outcome: 'success',
      backendCalls: 0,
      backendMs: 0,
    });
    expect(lines(generated.requestId!)[0]).toMatchObject({
      operationName: null,
      operationType: 'query',
      outcome: 'success',
    });
    // Neither the query text nor variables are logged.
    expect(JSON.stringify(h.log.lines)).not.toContain('PJSIP/alice');
    await h.gql(HANGUP, { id: orig.data!.originate.channel.id });
  });

  it('X-Request-ID reaches KAZOO with every Crossbar request made for the GraphQL request', async () => {
    const r = await h.gql('query Agents { recipients(backend: "kz") { id } }', undefined, {
      'x-request-id': 'obs-kz-1',
    });
    expect(r.errors).toBeUndefined();
    const sent = h.kazooSim.requests.filter((x) => x.requestId === 'obs-kz-1');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((x) => x.path.startsWith('/v2/accounts/'))).toBe(true);
    await waitFor(() => h.log.lines.find((l) => l.requestId === 'obs-kz-1'), 'log line');
    expect(h.log.lines.find((l) => l.requestId === 'obs-kz-1')).toMatchObject({
      operationName: 'Agents',
      backendCalls: sent.length,
    });
  });

  it('/metrics: operations, backend requests, events, connections, subscriptions, journal, rate limits', async () => {
    // A subscriber and a query over graphql-ws, a failing query over HTTP, a call's events.
    const sub = rawSubscriber(h.gateway.url, 'subscription Watch { channelEvents { __typename cursor } }', h.adminKey);
    await waitFor(() => sub.frames.some((f) => f.type === 'connection_ack'), 'graphql-ws ack');
    const bad = await h.gql(
      'mutation Missing { hangupChannel(input: { id: "pbx1:no-such-channel" }) { hungUpChannelId } }',
    );
    expect(bad.errors![0].extensions!.code).toBe('NOT_FOUND');
    const orig = await h.gql(ORIGINATE, { input: { backend: 'pbx1', endpoint: 'PJSIP/bob', app: 'patchbay' } });
    const id = orig.data!.originate.channel.id as string;
    await waitFor(() => sub.frames.filter((f) => f.type === 'next').length >= 1, 'a subscription event');
    expect((await h.gql(HANGUP, { id })).errors).toBeUndefined();

    const m = await scrape(h.base);
    expect(m.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const s = m.samples;
    const v = (name: string, labels: Record<string, string> = {}) => sampleValue(s, name, labels);

    expect(
      v('patchbay_graphql_operations_total', {
        operation: 'Orig',
        type: 'mutation',
        transport: 'http',
        outcome: 'success',
      }),
    ).toBe(2);
    expect(
      v('patchbay_graphql_operations_total', {
        operation: 'Hang',
        type: 'mutation',
        transport: 'http',
        outcome: 'success',
      }),
    ).toBe(2);
    expect(
      v('patchbay_graphql_operations_total', {
        operation: 'Missing',
        type: 'mutation',
        transport: 'http',
        outcome: 'error',
      }),
    ).toBe(1);
    expect(
      v('patchbay_graphql_operations_total', {
        operation: 'anonymous',
        type: 'query',
        transport: 'http',
        outcome: 'success',
      }),
    ).toBe(1);
    expect(
      v('patchbay_graphql_operation_duration_seconds_count', {
        operation: 'Orig',
        type: 'mutation',
        transport: 'http',
      }),
    ).toBe(2);
    expect(
      v('patchbay_graphql_operation_duration_seconds_bucket', {
        operation: 'Orig',
        type: 'mutation',
        transport: 'http',
        le: '+Inf',
      }),
    ).toBe(2);
    expect(m.types.get('patchbay_graphql_operation_duration_seconds')).toBe('histogram');

    expect(
      v('patchbay_backend_requests_total', {
        backend: 'pbx1',
        kind: 'ari',
        operation: 'POST /channels',
        status: '200',
      }),
    ).toBe(2);
    expect(
      v('patchbay_backend_requests_total', {
        backend: 'pbx1',
        kind: 'ari',
        operation: 'DELETE /channels/:id',
        status: '204',
      }),
    ).toBe(2);
    expect(
      v('patchbay_backend_requests_total', {
        backend: 'pbx1',
        kind: 'ari',
        operation: 'DELETE /channels/:id',
        status: '404',
      }),
    ).toBe(1);
    expect(
      v('patchbay_backend_request_duration_seconds_count', {
        backend: 'pbx1',
        kind: 'ari',
        operation: 'POST /channels',
      }),
    ).toBe(2);
    const kazooOps = s
      .filter((x) => x.name === 'patchbay_backend_requests_total' && x.labels.backend === 'kz')
      .map((x) => `${x.labels.operation} ${x.labels.status}`);
    expect(kazooOps).toEqual(expect.arrayContaining(['PUT /api_auth 201', 'GET /accounts/:id/qubicle_recipients 200']));
    // Ids never become label values.
    expect(
      s
        .filter((x) => x.name === 'patchbay_backend_requests_total')
        .every((x) => !/[0-9a-f]{32}|\d{10}\.\d+/.test(x.labels.operation)),
    ).toBe(true);

    expect(v('patchbay_events_ingested_total', { backend: 'pbx1', reconciled: 'false' })).toBeGreaterThanOrEqual(4);
    expect(v('patchbay_event_lag_seconds_count', { backend: 'pbx1' })).toBe(
      v('patchbay_events_ingested_total', { backend: 'pbx1', reconciled: 'false' }),
    );
    expect(v('patchbay_event_journal_delay_seconds_count', { backend: 'pbx1' })).toBeGreaterThanOrEqual(4);
    expect(v('patchbay_journal_events')).toBeGreaterThanOrEqual(4);
    expect(v('patchbay_journal_latest_cursor')).toBeGreaterThanOrEqual(v('patchbay_journal_events')!);

    expect(v('patchbay_websocket_connections_open')).toBe(1);
    expect(v('patchbay_graphql_subscriptions_active')).toBe(1);
    expect(v('patchbay_http_connections_open')).toBeGreaterThanOrEqual(2);
    expect(v('patchbay_backend_connected', { backend: 'pbx1', kind: 'ari' })).toBe(1);
    expect(v('patchbay_backend_connected', { backend: 'kz', kind: 'kazoo' })).toBe(1);
    expect(v('patchbay_ingest_leader', { backend: 'pbx1' })).toBe(1);
    expect(v('patchbay_backend_ingest_alive', { backend: 'pbx1' })).toBe(1);
    expect(v('patchbay_backend_ingest_alive', { backend: 'kz' })).toBe(1);
    expect(v('patchbay_rate_limit_rejections_total')).toBe(0);
    expect(v('process_cpu_seconds_total')).toBeGreaterThan(0);

    // The subscriber leaves: its operation is logged and counted over ws, the gauges drop.
    sub.close();
    await waitFor(() => h.log.lines.find((l) => l.operationName === 'Watch'), 'subscription log line');
    expect(h.log.lines.find((l) => l.operationName === 'Watch')).toMatchObject({
      transport: 'ws',
      operationType: 'subscription',
      outcome: 'success',
      operationId: 's1',
    });
    const client = new WebSocket(h.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((r) => client.once('open', r));
    client.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${h.adminKey}` } }));
    await new Promise((r) => client.once('message', r));
    client.send(
      JSON.stringify({ id: 'q1', type: 'subscribe', payload: { query: 'query WsChans { channels { id } }' } }),
    );
    await waitFor(() => h.log.lines.find((l) => l.operationName === 'WsChans'), 'ws query log line');
    expect(h.log.lines.find((l) => l.operationName === 'WsChans')).toMatchObject({
      transport: 'ws',
      operationType: 'query',
      outcome: 'success',
      operationId: 'q1',
      principalId: h.adminKey.split('_')[1],
    });
    client.close();
    await waitFor(
      async () => sampleValue((await scrape(h.base)).samples, 'patchbay_websocket_connections_open') === 0,
      'ws connections closed',
    );
    const after = await scrape(h.base);
    expect(sampleValue(after.samples, 'patchbay_graphql_subscriptions_active')).toBe(0);
    expect(
      sampleValue(after.samples, 'patchbay_graphql_operations_total', {
        operation: 'Watch',
        type: 'subscription',
        transport: 'ws',
        outcome: 'success',
      }),
    ).toBe(1);
    expect(
      sampleValue(after.samples, 'patchbay_graphql_operation_duration_seconds_count', {
        operation: 'Watch',
        type: 'subscription',
        transport: 'ws',
      }),
    ).toBeUndefined();
    expect(
      sampleValue(after.samples, 'patchbay_graphql_operations_total', {
        operation: 'WsChans',
        type: 'query',
        transport: 'ws',
        outcome: 'success',
      }),
    ).toBe(1);
    expect(
      sampleValue(after.samples, 'patchbay_graphql_operation_duration_seconds_count', {
        operation: 'WsChans',
        type: 'query',
        transport: 'ws',
      }),
    ).toBe(1);
  });

  it('/readyz with a backend down: still ready while another serves, the backend listed with its reason; 503 once none is connected', async () => {
    await h.ari.close();
    await waitFor(() => !h.pbx1.health().connected, 'pbx1 socket dropped');
    const res = await fetch(`${h.base}/readyz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    const pbx1 = body.backends.find((b: { name: string }) => b.name === 'pbx1');
    expect(pbx1).toMatchObject({ name: 'pbx1', kind: 'ari', connected: false });
    expect(typeof pbx1.reason).toBe('string');
    expect(pbx1.reason.length).toBeGreaterThan(0);
    expect(body.backends.find((b: { name: string }) => b.name === 'kz')).toMatchObject({
      connected: true,
      reason: null,
    });
    expect(pbx1.ingest).toMatchObject({ by: 'this instance', alive: false });
    expect(body.backends.find((b: { name: string }) => b.name === 'kz').ingest).toEqual({
      by: 'this instance',
      alive: true,
      reason: null,
      heartbeatAgeMs: null,
    });

    await h.kazooSim.close();
    await waitFor(() => !h.kz.health().connected, 'kz socket dropped');
    const none = await fetch(`${h.base}/readyz`);
    expect(none.status).toBe(503);
    const noneBody = await none.json();
    expect(noneBody.reasons).toEqual(["no backend's events are being ingested"]);
    // This instance ingests both: each says so, with why its stream is not alive.
    for (const b of noneBody.backends)
      expect(b.ingest).toMatchObject({ by: 'this instance', alive: false, heartbeatAgeMs: null });
    const metrics = await scrape(h.base);
    expect(sampleValue(metrics.samples, 'patchbay_backend_ingest_alive', { backend: 'pbx1' })).toBe(0);
  });

  it('/readyz is 503 with the database closed, and says so', async () => {
    await h.gateway.database.close();
    const res = await fetch(`${h.base}/readyz`);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.status).toBe('not ready');
    expect(body.database.ok).toBe(false);
    expect(body.reasons[0]).toMatch(/^database: /);
    // /healthz is about the process only.
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
    // /metrics still answers (the journal gauges keep their last value).
    expect(sampleValue((await scrape(h.base)).samples, 'patchbay_journal_events')).toBeGreaterThan(0);
  });

  it('stop(): a subscriber gets `complete` for its subscription, then the socket closes with 1001', async () => {
    const sub = rawSubscriber(h.gateway.url, 'subscription Watch { channelEvents { __typename cursor } }', h.adminKey);
    await waitFor(() => sub.frames.some((f) => f.type === 'connection_ack'), 'graphql-ws ack');
    await waitFor(async () => {
      const m = await scrape(h.base);
      return sampleValue(m.samples, 'patchbay_graphql_subscriptions_active') === 1;
    }, 'subscription active');
    await h.gateway.stop();
    await waitFor(() => sub.closeCode !== null, 'socket closed');
    expect(sub.frames.map((f) => f.type)).toEqual(['connection_ack', 'complete']);
    expect(sub.frames[1].id).toBe('s1');
    expect(sub.closeCode).toBe(1001);
    expect(
      h.log.lines.filter((l) => l.transport === 'ws' && l.operationName === 'Watch' && l.outcome === 'success'),
    ).toHaveLength(2);
    await expect(fetch(`${h.base}/healthz`)).rejects.toThrow();
  });
});
