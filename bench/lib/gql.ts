/** One GraphQL request over HTTP, failing loudly on any error. */

/** Where the gateway listens and the API key to present (the gateway child's `Started`). */
export interface GatewayTarget {
  gatewayUrl: string;
  apiKey: string;
}

/** What a browser's fetch (Apollo Client, urql) sends on every request. */
export const BROWSER_ACCEPT_ENCODING = { 'accept-encoding': 'gzip, deflate, br' };

/** The headers of every GraphQL request the bench sends. */
export function gqlHeaders(apiKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...extra };
}

/** Asks the gateway to execute instead of answering from its response cache (b measures execution). */
export const NO_CACHE = { 'cache-control': 'no-cache' };

export async function gql<D = any>(gw: GatewayTarget, query: string, variables?: Record<string, unknown>): Promise<D> {
  const res = await fetch(gw.gatewayUrl, {
    method: 'POST',
    headers: gqlHeaders(gw.apiKey),
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { data?: D; errors?: unknown[] };
  if (res.status !== 200 || body.errors)
    throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data as D;
}

/** Polls until `probe` is truthy; bounded. */
export async function waitUntil(
  probe: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 15_000,
  stepMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
