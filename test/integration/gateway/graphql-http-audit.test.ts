/** graphql-http's GraphQL-over-HTTP server audits against a real gateway: no MUST may fail. */
import { serverAudits } from 'graphql-http';
import { startHarness, type Harness } from '../../helpers/gateway-harness';

describe('GraphQL over HTTP conformance (graphql-http server audits)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('passes every MUST audit for a client that sends its key', async () => {
    // Every request needs a key (401 otherwise): the audit's fetch sends it, as any client does.
    const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${h.adminKey}`);
      return fetch(input, { ...init, headers });
    };
    const results = await Promise.all(serverAudits({ url: h.gateway.url, fetchFn }).map((a) => a.fn()));
    const mustFailures = results
      .filter((r) => r.name.startsWith('MUST') && r.status !== 'ok')
      .map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(mustFailures).toEqual([]);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });
});
